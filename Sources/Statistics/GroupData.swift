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
/// models) was drawn with the same random numbers. Where a prompt lacks some samples its template's other
/// prompts have (a line missing from a completions file), `sampleIndices` gives each observation's own index,
/// and the streams are keyed by it instead of by position.
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
    /// Whether the observations are copies of one completion (every sample of the prompt the same text, as greedy
    /// decoding writes them): they carry no sampling noise (see ``GroupData/holdCopies(_:)``).
    public var copies: Bool
    /// The sample index (random stream within the template) of each observation, one per observation in the same
    /// order; nil when observation i is sample i (a run's complete cells). With them a prompt missing a sample
    /// shares the streams it has with the other prompts of its template, instead of every later observation moving
    /// to the next stream (a statistician's review: one missing line of a completions file made the whole file
    /// unpaired, and the power of a 0.5 SD contrast fell from 57% to 32%).
    public var sampleIndices: [Int]?

    /// Creates a cell.
    /// - Parameter sampleIndices: one per observation, distinct (see ``sampleIndices``); nil for positions. A list of
    ///   another length than `observations` is not used (``streamIndex(at:)`` falls back to positions).
    public init(
        stratum: String, unit: String, observations: [Observation], template: String? = nil, copies: Bool = false,
        sampleIndices: [Int]? = nil
    ) {
        self.stratum = stratum
        self.unit = unit
        self.observations = observations
        self.template = template
        self.copies = copies
        self.sampleIndices = sampleIndices
    }

    /// The random stream (sample index) of observation `position`: its recorded index, or its position when the cell
    /// records none (or a list that does not fit its observations).
    public func streamIndex(at position: Int) -> Int {
        guard let sampleIndices, sampleIndices.count == observations.count else { return position }
        return sampleIndices[position]
    }
}

/// All the cells of one group (e.g. the "female names" group of a gender axis).
///
/// Cells are identified by `(stratum, unit)`, and observation i of a cell belongs to random stream i
/// of its stratum (or to the stream its ``Cell/sampleIndices`` entry names). Two cells with the same pair add their observations to the same term and the same
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

    /// Whether `groups` hold copies rather than samples: every prompt (cell) with two or more observations is
    /// marked ``Cell/copies``, and at least one cell is. Copies of one completion are one draw, not n independent
    /// trials: such data are analysed with one observation per prompt (``collapsedCopies``) as means are, a rate's or
    /// share's variance from the design alone (the variation between terms), without the binomial variance
    /// p(1 − p)/n that a design effect at most 1 falls back to, and their minimum supports count draws. Under greedy
    /// decoding that fallback made 8 copies of each prompt 8 trials: a rate contrast of two single-term groups had
    /// p = 8e-13 with 8 samples and 3.5e-4 with 2, where the same completions' mean sentiment had no test (review).
    /// Now neither has one: their variance is unknown, not 0.
    /// The copies must be at least half the cells: one prompt with two equal texts among prompts sampled once is no
    /// evidence of greedy decoding (a statistician's review: it turned a one-sample file's rates into copies).
    public static func holdCopies(_ groups: [GroupData]) -> Bool {
        var (marked, cells) = (0, 0)
        for cell in groups.lazy.flatMap(\.cells) {
            cells += 1
            if cell.copies { marked += 1 } else if cell.observations.count >= 2 { return false }
        }
        return marked > 0 && 2 * marked >= cells
    }

    /// The group with each cell marked ``Cell/copies`` reduced to its first observation: one draw per prompt.
    public var collapsedCopies: GroupData {
        GroupData(cells: cells.map { cell in
            guard cell.copies, cell.observations.count > 1 else { return cell }
            var one = cell
            one.observations = [cell.observations[0]]
            one.sampleIndices = cell.sampleIndices.map { [$0[0]] }
            return one
        })
    }
}

extension GroupData {
    /// The within-prompt variance of a mean's scores: Σ over prompts of Σ (x − x̄_prompt)², over Σ (n_prompt − 1).
    /// The completion-level spread of a group's scores at its own level: a mean's single term weighs its lenders'
    /// against its own by it (`VarianceComponents.PerTerm.scaledBySpread`), as a rate's p(1 − p) weighs them. A prompt
    /// whose squares are at the level of rounding (at most 1e-18 of its Σ x²: ten copies of a score of 0.2023 average
    /// to 0.20229999999999998 and left 1e-33) adds 0 (a statistician's review: a lender spread of 1e-34 made a single
    /// term's SE 1e16). Nil without two scores of one prompt, or when a weight is not 1 (not a mean).
    /// The variance of the group's level if its completions were independent, s²/N: the sample variance of its scores x
    /// over their number (0 with fewer than two scores, or where a weight is not 1: not a mean). The scale against which
    /// a mean's fitted variance is judged rounding (`isNegligibleMeanVariance`).
    var independentVariance: Double {
        let scores = cells.flatMap(\.observations)
        guard scores.count > 1, scores.allSatisfy({ $0.w == 1 }) else { return 0 }
        let values = scores.map(\.x)
        let mean = Descriptive.mean(values)
        let squares = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
        let variance = squares / Double(values.count - 1) / Double(values.count)
        return variance.isFinite ? variance : 0
    }

    var withinPromptVariance: Double? {
        var squares = 0.0, df = 0
        for cell in cells where cell.observations.count > 1 {
            guard cell.observations.allSatisfy({ $0.w == 1 }) else { return nil }
            let scores = cell.observations.map(\.x)
            let mean = Descriptive.mean(scores)
            let own = scores.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let size = scores.reduce(0) { $0 + $1 * $1 }
            if own > 1e-18 * size { squares += own }
            df += cell.observations.count - 1
        }
        return df > 0 && squares.isFinite ? squares / Double(df) : nil
    }
}

/// What ``GroupData/holdCopies(_:)`` changes in one estimand's analysis (a set's levels, a contrast, a model
/// comparison), decided once for its groups: the data (one observation per prompt), the scale the variance and
/// interval are computed on (the mean's), and the method recorded (`.copies`); the metric's own scale still decides
/// its minimum support and effect size.
struct CopiesRule {
    /// Whether the estimand's groups hold copies.
    let applies: Bool
    /// The metric's own scale.
    let metricScale: MetricScale

    /// Decides for `groups` of a metric on `scale`.
    init(_ groups: [GroupData], scale: MetricScale) {
        applies = GroupData.holdCopies(groups)
        metricScale = scale
    }

    /// The scale of the variance and the interval: the mean's for copies, else the metric's.
    var inferenceScale: MetricScale { applies ? .mean : metricScale }

    /// `group` as the analysis takes it: one observation per prompt for copies.
    func data(_ group: GroupData) -> GroupData { applies ? group.collapsedCopies : group }

    /// The method to record: `.copies` for copies, else the fitted one.
    func method(_ fitted: VarianceMethod?) -> VarianceMethod? { applies ? .copies : fitted }
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

    /// Whether `other` rests on the same terms (``Cell/unit``: terms, or fixed prompts) of group A and of group B as
    /// this contrast: false when a term has data on one side only (a completions file missing every prompt of a term
    /// under one model or run), whose change between the two would mix which terms are there with the models'
    /// difference (a practitioner's review: a model whose file lacked the 4 positive terms of a group, its other lines
    /// those of the first model word for word, was "more biased", q = 0.045, and failed a baseline gate).
    public func restsOnTheSameTerms(as other: ContrastData) -> Bool {
        Set(a.cells.map(\.unit)) == Set(other.a.cells.map(\.unit)) && Set(b.cells.map(\.unit)) == Set(other.b.cells.map(\.unit))
    }

    /// The two groups on the templates (`Cell.template`) both have: a templated cell whose template the other group
    /// lacks is left out, and with no template in common neither group keeps a templated cell (the contrast has no
    /// data: review, two groups on disjoint templates were a "finding" of the templates' effect). Cells without a
    /// template (fixed prompts) are kept; a group with none templated leaves both unchanged. A contrast compares its
    /// groups on the same templates: with a template that only one group has (a notebook file missing a group ×
    /// template cell), the gap mixed the groups' difference with the template's (review: a template 6 latent SD more
    /// positive, missing for group B, made A − B positive in 10 of 10 simulated nulls, p < 0.05 in 5). Matched by
    /// template, not stratum: analysed unpaired every group has strata of its own (second review).
    ///
    /// Of the shared templates, those where a group has fewer than three quarters of its terms are left out too when
    /// others keep that many for both groups (a statistician's review: a group missing 4 of its 6 terms in a template
    /// 1.5 latent SD below the others took that template at a third of its weight, and a null contrast was p < 0.05 in
    /// 17–23% of simulated files). With no such template, every shared template stays.
    public var matchedOnTemplates: ContrastData {
        let keysA = Set(a.cells.compactMap(\.template)), keysB = Set(b.cells.compactMap(\.template))
        guard !keysA.isEmpty, !keysB.isEmpty else { return self }
        var shared = keysA.intersection(keysB)
        func termsByTemplate(_ group: GroupData) -> (all: Set<String>, by: [String: Set<String>]) {
            var by: [String: Set<String>] = [:]
            for cell in group.cells {
                if let template = cell.template, shared.contains(template) { by[template, default: []].insert(cell.unit) }
            }
            return (by.values.reduce(into: Set<String>()) { $0.formUnion($1) }, by)
        }
        let (termsA, termsB) = (termsByTemplate(a), termsByTemplate(b))
        // A template where a group has fewer than three quarters of its terms is left out when others keep them: its
        // weight in that group's level is then far from the other group's. A few scattered gaps stay (a second review:
        // leaving out every incomplete template threw away most of a group's data over three missing prompts, and
        // one missing prompt under one model made every model comparison of the group undetermined).
        func kept(_ terms: (all: Set<String>, by: [String: Set<String>]), _ template: String) -> Bool {
            4 * (terms.by[template]?.count ?? 0) >= 3 * terms.all.count
        }
        let adequate = shared.filter { kept(termsA, $0) && kept(termsB, $0) }
        if !adequate.isEmpty { shared = adequate }
        guard shared != keysA || shared != keysB else { return self }
        func kept(_ cell: Cell) -> Bool { cell.template.map(shared.contains) ?? true }
        return ContrastData(a: GroupData(cells: a.cells.filter(kept)), b: GroupData(cells: b.cells.filter(kept)))
    }
}
