import AuditAnalysis
import AuditResults

/// What the `diff` templates (`diff.md.mustache`, `diff.html.mustache`) print: every string already made
/// safe for the format by ``ReportEscaping/text(_:)`` (Markdown-escaped, or shown-visible text that the
/// HTML template escapes with `{{…}}`).
struct DiffView {
    /// `biasaudit diff: A = … (models), B = … (models)`.
    let title: String
    /// How many contrasts, at which confidence, with the count of each verdict.
    let summary: String
    /// The confidence level as a label, `95%`.
    let level: String
    /// One table per prompt set, in order of first appearance.
    let sets: [DiffSetView]
    /// The notes, the verdict rule always last but one.
    let notes: [String]
    /// Whether there are notes (always, today: the verdict rule).
    let hasNotes: Bool
}

/// One prompt set's table.
struct DiffSetView {
    /// The set's name.
    let name: String
    /// The audited axis.
    let axis: String
    /// One row per compared contrast.
    let rows: [DiffRowView]
}

/// One compared contrast.
struct DiffRowView {
    /// `metric groupA-vs-groupB`.
    let contrast: String
    /// `modelA → modelB`.
    let models: String
    /// The contrast in A and in B.
    let a: String
    /// See ``a``.
    let b: String
    /// B − A with its interval.
    let change: String
    /// |B| − |A| at the point estimates.
    let growth: String
    /// The q-value of the verdict (Benjamini–Hochberg within its prompt set × model pair), or "—".
    let q: String
    /// The verdict's words, `, direction reversed` appended when A's and B's intervals exclude 0 on opposite sides.
    let verdict: String
    /// The verdict's raw value, a CSS class (`more_biased`).
    let verdictClass: String
    /// How the interval was computed (`paired`, …).
    let method: String
}
