import AuditResults

/// A bound on the work of one rendering with the user's templates (`--templates`): they can nest sections over
/// lists, and each level multiplies the work by the length of its list (20 nested `{{#sets}}` over 2 sets took 24 s,
/// 30 never finished). Every value a template looks up in the report's data spends one unit; once the budget is
/// spent every lookup finds nothing, the rendering ends quickly, and ``ReportRenderer`` refuses its output. The
/// bundled templates, whose work grows with the data's rows and no faster, render without a budget.
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

    init(lookups: Int) {
        limit = lookups
        remaining = lookups
    }

    /// Spends one lookup; false once the budget is spent. (One rendering runs on one thread.)
    func spend() -> Bool {
        remaining -= 1
        return remaining >= 0
    }

    /// Whether the rendering ran out of lookups (its output is incomplete).
    var exhausted: Bool { remaining < 0 }
}
