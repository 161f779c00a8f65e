/// One scored completion, as a term of a ratio of sums Σx / Σw.
///
/// - A mean score (VADER compound, or 0/1 for "is negative") uses `x = score`, `w = 1`.
/// - A share among counts (male share among gendered pronouns) uses `x = male count`,
///   `w = male + female count`. A completion with no gendered pronoun is kept as `(0, 0)`:
///   it adds nothing to either sum, but it keeps the sample indices aligned across prompts and
///   models, which the shared random streams (and paired model-vs-model comparisons) rely on.
public struct Observation: Sendable, Equatable, Codable {
    /// The numerator contribution.
    public var x: Double
    /// The denominator contribution; finite and ≥ 0.
    public var w: Double

    /// Creates an observation `(x, w)`.
    public init(x: Double, w: Double) {
        self.x = x
        self.w = w
    }

    /// A score that enters a plain mean: `(score, 1)`.
    public init(score: Double) {
        self.init(x: score, w: 1)
    }
}

/// One prompt of a group: a (template, term) pair, with its completions' observations.
///
/// `stratum` is the template (the stratum of the stratified designs below); `unit` is the term
/// (e.g. a first name), the independent sampling unit. Groups with fixed prompts instead of terms
/// use the prompt as the unit and one stratum label shared by every group of the axis.
/// `observations` are in sample-index order: index `i` of two cells of the same template (and of two
/// models) was drawn with the same random numbers.
public struct Cell: Sendable, Equatable, Codable {
    /// The template (stratum) identifier.
    public var stratum: String
    /// The unit identifier (term, or the prompt id for fixed prompts).
    public var unit: String
    /// One observation per sampled completion, in sample-index order.
    public var observations: [Observation]
    /// The template the prompt was made from, by which a contrast matches the cells of its two groups
    /// (`ContrastData.matchedOnTemplates`): not the stratum, since completions analysed unpaired have a stratum of
    /// their own per template, group and model. Nil for a prompt without a template (a fixed prompt, or data made
    /// without one), which every contrast keeps.
    public var template: String?

    /// Creates a cell.
    public init(stratum: String, unit: String, observations: [Observation], template: String? = nil) {
        self.stratum = stratum
        self.unit = unit
        self.observations = observations
        self.template = template
    }
}

/// All the cells of one group (e.g. the "female names" group of a gender axis).
///
/// Cells are identified by `(stratum, unit)`, and observation i of a cell belongs to random stream i
/// of its stratum. Two cells with the same pair add their observations to the same term and the same
/// streams (two completions per stream), not one after the other; the audit builds one cell per pair.
/// The order of `cells` does not matter (up to floating-point rounding).
public struct GroupData: Sendable, Equatable, Codable {
    /// The group's prompts.
    public var cells: [Cell]

    /// Creates a group from its cells.
    public init(cells: [Cell]) {
        self.cells = cells
    }

    /// The distinct stratum labels, sorted.
    public var strata: [String] {
        Array(Set(cells.map(\.stratum))).sorted()
    }

    /// The distinct unit labels, sorted.
    public var units: [String] {
        Array(Set(cells.map(\.unit))).sorted()
    }
}

/// The two groups of one contrast (e.g. male names vs female names on one model), A minus B.
public struct ContrastData: Sendable, Equatable, Codable {
    /// The first group; the contrast is A − B.
    public var a: GroupData
    /// The second group.
    public var b: GroupData

    /// Creates the data of a contrast A − B.
    public init(a: GroupData, b: GroupData) {
        self.a = a
        self.b = b
    }

    /// The templates (`Cell.template`) of both groups' cells.
    public var templates: Set<String> { Set((a.cells + b.cells).compactMap(\.template)) }

    /// The two groups on the templates (`Cell.template`) both have: a templated cell whose template the other group
    /// lacks is left out, and with no template in common neither group keeps a templated cell (the contrast has no
    /// data: review, two groups on disjoint templates were a "finding" of the templates' effect). Cells without a
    /// template (fixed prompts) are kept; a group with none templated leaves both unchanged. A contrast compares its
    /// groups on the same templates: with a template that only one group has (a notebook file missing a group ×
    /// template cell), the gap mixed the groups' difference with the template's (review: a template 6 latent SD more
    /// positive, missing for group B, made A − B positive in 10 of 10 simulated nulls, p < 0.05 in 5). Matched by
    /// template, not stratum: analysed unpaired every group has strata of its own (second review).
    public var matchedOnTemplates: ContrastData {
        let keysA = Set(a.cells.compactMap(\.template)), keysB = Set(b.cells.compactMap(\.template))
        guard !keysA.isEmpty, !keysB.isEmpty, keysA != keysB else { return self }
        let shared = keysA.intersection(keysB)
        func kept(_ cell: Cell) -> Bool { cell.template.map(shared.contains) ?? true }
        return ContrastData(a: GroupData(cells: a.cells.filter(kept)), b: GroupData(cells: b.cells.filter(kept)))
    }
}
