/// A bound on the work of one report rendering: custom templates (`--templates`) can nest sections over lists,
/// and each level multiplies the work by the length of its list (20 nested `{{#sets}}` over 2 sets took 24 s, 30
/// never finished). Every value a template looks up in the report's data spends one unit; once the budget is spent
/// every lookup finds nothing, the rendering ends quickly, and ``ReportRenderer`` refuses its output.
final class RenderBudget: @unchecked Sendable {
    /// Lookups one rendering may make. The shipped templates make about 6,500 for the default audit (every shipped
    /// set, two models; `TemplateWorkLimitTests` measures it), so this leaves room for reports hundreds of times larger.
    static let maximumLookups = 5_000_000

    /// The budget of the rendering in progress on this task (nil outside a rendering).
    @TaskLocal static var current: RenderBudget?

    /// Lookups left; negative once the budget is spent.
    private(set) var remaining: Int
    /// Lookups made.
    var spent: Int { limit - remaining }
    /// Lookups allowed.
    let limit: Int

    init(lookups: Int = maximumLookups) {
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
