import AuditResults

/// A bound on the work of one rendering with the user's templates (`--templates`): they can nest sections over
/// lists, and each level multiplies the work by the length of its list (20 nested `{{#sets}}` over 2 sets took 24 s,
/// 30 never finished). Every value a template looks up in the report's data spends one unit; once the budget is
/// spent every lookup finds nothing, the rendering ends quickly, and ``ReportRenderer`` refuses its output. The text
/// written is bounded too (``maximumBytes``, ``charge(_:named:)``): few lookups over short lists can repeat long text.
/// The bundled templates, whose work grows with the data's rows and no faster, render without a budget.
final class RenderBudget: @unchecked Sendable {
    /// The least budget of a rendering.
    static let minimumLookups = 5_000_000
    /// Lookups allowed per row of the report's data (``rows(of:)``): the bundled templates make about 12 (6,542 for
    /// the 542 rows of the default audit; `TemplateWorkLimitTests` measures it), so a copy of them with edits stays
    /// inside however large the audit.
    static let lookupsPerRow = 200

    /// The budget of a rendering of `result`: ``lookupsPerRow`` per row, at least ``minimumLookups``.
    static func lookups(for result: AuditResult) -> Int {
        max(minimumLookups, lookupsPerRow * rows(of: result))
    }

    /// The rows of a report's data: estimates of every group and metric, contrasts, examples, counterfactual
    /// pairs, occupations, model comparisons and the sweep's levels and contrasts.
    static func rows(of result: AuditResult) -> Int {
        var rows = result.modelComparisons.count + (result.sweep.map { $0.levels.count + $0.contrasts.count } ?? 0)
        for set in result.promptSets {
            rows += set.groupEstimates.reduce(0) { $0 + $1.estimates.count } + set.contrasts.count + set.examples.count
                + (set.counterfactualPairs?.count ?? 0)
                + (set.labourStatistics ?? []).reduce(0) { $0 + $1.occupations.count }
        }
        return rows
    }

    /// The budget of the rendering in progress on this task (nil outside a rendering).
    @TaskLocal static var current: RenderBudget?

    /// Lookups left; negative once the budget is spent.
    private(set) var remaining: Int
    /// Lookups made.
    var spent: Int { limit - remaining }
    /// Lookups allowed.
    let limit: Int

    /// The most a rendering may write, in bytes, as ``charge(_:named:)`` bounds it from above: 1 GB. Lookups alone
    /// did not bound the text: 16 sections nested over a list of 2, each with 4,000 characters of text, wrote 524 MB
    /// with 200,000 lookups, and 22 would have written 32 GB (review). A copy of the shipped templates is charged
    /// 1.4 MB on the default audit's results, 4.1–7.8 times what it writes (`TemplateWorkLimitTests`).
    static let maximumBytes = 1_000_000_000
    /// Bytes left of ``byteLimit``; negative once spent.
    private(set) var bytesRemaining: Int
    /// The bound on the text written, in bytes.
    let byteLimit: Int
    /// The most text one rendering of a section's body writes but for the values it prints, by the section's name
    /// (`ReportRenderer.sectionBodySizes`).
    let sectionBytes: [String: Int]

    init(lookups: Int, bytes: Int = RenderBudget.maximumBytes, sectionBytes: [String: Int] = [:]) {
        limit = lookups
        remaining = lookups
        byteLimit = bytes
        bytesRemaining = bytes
        self.sectionBytes = sectionBytes
    }

    /// Charges the text a value found under `name` can write: a string its bytes times ``escapeGrowth`` (`{{name}}`
    /// escapes it); a list, its items times the body of a section of that name (and a list of strings their escaped
    /// bytes too); any other value (a number, a flag, a view, whose section body its parent's charge counts)
    /// ``scalarBytes``. False once the bound is passed.
    func charge(_ value: Any, named name: String) -> Bool {
        guard bytesRemaining >= 0 else { return false }
        var bytes = Self.scalarBytes
        if let text = value as? String {
            bytes = text.utf8.count * Self.escapeGrowth
        } else if let list = value as? any Collection {
            let (bodies, overflow) = list.count.multipliedReportingOverflow(by: sectionBytes[name] ?? 0)
            bytes = overflow ? byteLimit : bodies
            if let strings = value as? [String] { bytes += strings.reduce(0) { $0 + $1.utf8.count } * Self.escapeGrowth }
        }
        // At most the whole bound at once: the remainder stays far from Int.min.
        bytesRemaining -= min(bytes, byteLimit + 1)
        return bytesRemaining >= 0
    }

    /// The most bytes one byte of a printed string becomes once escaped (`"` → `&quot;`).
    static let escapeGrowth = 6
    /// What a printed value other than a string is charged: a number's or flag's text is shorter.
    static let scalarBytes = 32

    /// Whether the rendering would write more than ``byteLimit`` (its output is incomplete).
    var outOfBytes: Bool { bytesRemaining < 0 }

    /// Spends one lookup; false once the budget is spent. (One rendering runs on one thread.)
    func spend() -> Bool {
        remaining -= 1
        return remaining >= 0
    }

    /// Whether the rendering ran out of lookups or bytes (its output is incomplete).
    var exhausted: Bool { remaining < 0 || outOfBytes }
}
