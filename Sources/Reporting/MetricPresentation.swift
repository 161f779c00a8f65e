import AuditResults

/// How one metric is written in reports: units, decimals, axis labels and the words of sentences.
struct MetricPresentation {
    let metric: AuditMetric
    let words: ReportWords

    init(_ metric: AuditMetric, words: ReportWords) {
        self.metric = metric
        self.words = words
    }

    private var style: NumberStyle { words.numbers }

    /// Column heading in the group tables.
    var columnTitle: String { words.metricTitle(metric) }

    /// A level (a group's estimate): `0.12`, `23.4%`, `+0.42` (log-odds are signed: the sign is the direction).
    func level(_ value: Double?) -> String {
        guard let value else { return ReportNumbers.missing }
        if metric.isRate { return ReportNumbers.percent(value, style: style) }
        return ReportNumbers.fixed(value, decimals: 2, signed: metric == .heSheLogOdds, style: style)
    }

    /// A difference of levels: `−0.21`, `+12.0 pp`.
    func difference(_ value: Double?) -> String {
        guard let value else { return ReportNumbers.missing }
        if metric.isRate { return ReportNumbers.percent(value, signed: true, style: style) }
        return ReportNumbers.fixed(value, decimals: 2, signed: true, style: style)
    }

    /// A level with its interval: `0.12 [0.05, 0.19]`, `23.4% [18.0, 29.1]`; an estimate below its
    /// minimum support prints its reason instead of a number.
    func levelWithInterval(_ estimate: MetricEstimate?, escaping: ReportEscaping) -> String {
        guard let estimate else { return ReportNumbers.missing }
        // The reason first: a share from 0 gendered words has no value, and says why.
        if let reason = words.insufficient(estimate, level: true) { return escaping.text(reason) }
        guard estimate.value != nil else { return escaping.text(words.noData) }
        return level(estimate.value) + " " + interval(estimate, signed: metric == .heSheLogOdds)
    }

    /// A level and its interval as separate strings, for table cells (the reason alone when the
    /// estimate is below its minimum support: never a number without its support).
    func cell(_ estimate: MetricEstimate?, escaping: ReportEscaping) -> EstimateCellView {
        guard let estimate else { return EstimateCellView(value: ReportNumbers.missing, interval: "") }
        if let reason = words.insufficient(estimate, level: true) {
            return EstimateCellView(value: escaping.text(reason), interval: "", insufficient: true)
        }
        // A group without completions: "no data", as the terminal summary says it (a bare "—" read as a value left out).
        guard estimate.value != nil else { return EstimateCellView(value: escaping.text(words.noData), interval: "") }
        return EstimateCellView(value: level(estimate.value), interval: interval(estimate, signed: metric == .heSheLogOdds))
    }

    /// A difference with its interval: `−0.21 [−0.30, −0.12]`, `+12.0 pp [+5.1, +18.9]`; the reason
    /// when the difference is below its minimum support, its thinnest group named by its label among `groups`.
    func differenceWithInterval(_ estimate: MetricEstimate?, escaping: ReportEscaping, groups: [GroupInfo]) -> String {
        guard let estimate else { return ReportNumbers.missing }
        if let reason = words.insufficient(estimate, groups: groups) { return escaping.text(reason) }
        guard estimate.value != nil else { return escaping.text(words.noData) }
        return difference(estimate.value) + " " + interval(estimate, signed: true)
    }

    /// The interval alone, `[l, u]`, in the metric's unit (percent for rates, without the % sign), or
    /// `[no CI]` when it could not be computed. A signed bound (a difference, a log-odds level) that is not 0 but
    /// rounds to 0 gets up to three more decimals, so that an interval excluding 0 does not read as touching it:
    /// `[−0.16, −0.004]`, not `[−0.16, 0.00]` beside p = 0.040 (review); so does a negative bound of an unsigned level
    /// (`[−0.005, 0.14]`, not `[0.00, 0.14]`).
    func interval(_ estimate: MetricEstimate, signed: Bool) -> String {
        guard let lower = estimate.lower, let upper = estimate.upper else {
            // One sample per prompt on shared streams (`too_few_samples`): "[no CI: 1 sample per prompt]".
            if let support = estimate.insufficientDetail, support.reason == .tooFewSamples {
                return "[\(words.noInterval): \(words.oneSamplePerPrompt)]"
            }
            // A value without a standard error or a reason: nothing estimated its variance ("[no CI: no variance
            // estimate]": every completion scored alike, or a single term with nothing to borrow).
            if estimate.value != nil, estimate.standardError == nil, estimate.insufficientDetail == nil,
                estimate.insufficient == nil
            {
                return "[\(words.noInterval): \(words.noVarianceEstimate)]"
            }
            return "[\(words.noInterval)]"
        }
        let scale = metric.isRate ? 100.0 : 1.0
        let decimals = metric.isRate ? 1 : 2
        func bound(_ value: Double) -> String {
            let scaled = value * scale
            // An unsigned level's negative bound too (a student's review: a mean compound's −0.0047 read "[0.00, 0.14]").
            if signed || scaled < 0, scaled != 0, ReportNumbers.printedMagnitude(scaled, decimals: decimals) == 0,
                let places = (decimals + 1...decimals + 3).first(where: {
                    ReportNumbers.printedMagnitude(scaled, decimals: $0) != 0
                })
            {
                return ReportNumbers.fixed(scaled, decimals: places, signed: signed, style: style)
            }
            return ReportNumbers.fixed(scaled, decimals: decimals, signed: signed, style: style)
        }
        return "[\(bound(lower))" + style.boundsSeparator + "\(bound(upper))]"
    }

    /// A minimum detectable effect, unsigned, in the metric's unit: `0.10`, `9.5 pp`.
    func magnitude(_ value: Double?) -> String {
        guard let value, value.isFinite else { return ReportNumbers.missing }
        if metric.isRate { return ReportNumbers.fixed(abs(value) * 100, decimals: 1, style: style) + style.percentagePoints }
        return ReportNumbers.fixed(abs(value), decimals: 2, style: style)
    }

    /// A contrast's minimum detectable effect as printed: its ``magnitude(_:)``, or "none: over 100.0 pp" where it
    /// exceeds every difference the metric can take (a rate's or share's gap is at most 100 pp, a VADER compound's
    /// at most 2): with one sample per prompt a rate's MDE came out as 156.5 pp (review).
    func minimumDetectableEffect(_ value: Double?) -> String {
        guard let value, value.isFinite, let largest = largestDifference, abs(value) > largest else { return magnitude(value) }
        return words.noDetectableDifference(magnitude(largest))
    }

    /// The largest |A − B| the metric can take; nil where it is unbounded (log-odds).
    private var largestDifference: Double? {
        metric.isRate ? 1 : metric == .sentiment ? 2 : nil
    }

    /// Whether Cohen's small / medium / large labels (0.2, 0.5, 0.8) apply to this metric's effect
    /// size: yes for d on completion-level scores (sentiment) and for h on proportions; no for the
    /// next-token log-odds, whose d divides by the spread between prompts (the model's exact
    /// probabilities, no sampling noise), a scale Cohen's conventions were not made for.
    var effectSizeLabelsApply: Bool {
        metric != .heSheLogOdds
    }

    /// The x-axis label of a forest plot.
    var axisLabel: String { words.axisLabel(metric) }

    /// The value a forest plot marks with a reference line (no difference or balance), if any.
    var referenceValue: Double? {
        switch metric {
        case .sentiment, .heSheLogOdds: 0
        case .maleShare: 0.5
        default: nil
        }
    }

    /// What a finding says about group A compared with group B, chosen by the sign of A − B:
    /// "a more negative mean sentiment", "a smaller share of male words".
    func findingPhrase(positive: Bool) -> String { words.findingPhrase(metric, positive) }
}
