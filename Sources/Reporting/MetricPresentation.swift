import AuditResults

/// How one metric is written in reports: units, decimals, axis labels and the words of sentences.
struct MetricPresentation {
    let metric: AuditMetric

    init(_ metric: AuditMetric) {
        self.metric = metric
    }

    /// Column heading in the group tables.
    var columnTitle: String {
        switch metric {
        case .sentiment: "mean sentiment"
        case .negativeRate: "% negative"
        case .positiveRate: "% positive"
        case .maleShare: "male share"
        case .genderedRate: "% gendered"
        case .lexiconCoverage: "lexicon coverage"
        case .heSheLogOdds: "log P(he)/P(she)"
        }
    }

    /// The symbol of a difference in sentences: `Δ compound −0.21`.
    var deltaName: String {
        switch metric {
        case .sentiment: "Δ compound"
        case .heSheLogOdds: "Δ log-odds"
        default: "Δ \(columnTitle)"
        }
    }

    /// A level (a group's estimate): `0.12`, `23.4%`, `+0.42` (log-odds are signed: the sign is the direction).
    func level(_ value: Double?) -> String {
        guard let value else { return ReportNumbers.missing }
        if metric.isRate { return ReportNumbers.percent(value) }
        return ReportNumbers.fixed(value, decimals: 2, signed: metric == .heSheLogOdds)
    }

    /// A difference of levels: `−0.21`, `+12.0 pp`.
    func difference(_ value: Double?) -> String {
        guard let value else { return ReportNumbers.missing }
        if metric.isRate { return ReportNumbers.percent(value, signed: true) }
        return ReportNumbers.fixed(value, decimals: 2, signed: true)
    }

    /// A level with its interval: `0.12 [0.05, 0.19]`, `23.4% [18.0, 29.1]`.
    func levelWithInterval(_ estimate: MetricEstimate?) -> String {
        guard let estimate, estimate.value != nil else { return ReportNumbers.missing }
        return level(estimate.value) + " " + interval(estimate, signed: metric == .heSheLogOdds)
    }

    /// A level and its interval as separate strings, for table cells.
    func cell(_ estimate: MetricEstimate?) -> EstimateCellView {
        guard let estimate, estimate.value != nil else { return EstimateCellView(value: ReportNumbers.missing, interval: "") }
        return EstimateCellView(value: level(estimate.value), interval: interval(estimate, signed: metric == .heSheLogOdds))
    }

    /// A difference with its interval: `−0.21 [−0.30, −0.12]`, `+12.0 pp [+5.1, +18.9]`.
    func differenceWithInterval(_ estimate: MetricEstimate) -> String {
        guard estimate.value != nil else { return ReportNumbers.missing }
        return difference(estimate.value) + " " + interval(estimate, signed: true)
    }

    /// The interval alone, `[l, u]`, in the metric's unit (percent for rates, without the % sign), or
    /// `[no CI]` when it could not be computed.
    func interval(_ estimate: MetricEstimate, signed: Bool) -> String {
        guard let lower = estimate.lower, let upper = estimate.upper else { return "[no CI]" }
        let scale = metric.isRate ? 100.0 : 1.0
        let decimals = metric.isRate ? 1 : 2
        return "[\(ReportNumbers.fixed(lower * scale, decimals: decimals, signed: signed)), "
            + "\(ReportNumbers.fixed(upper * scale, decimals: decimals, signed: signed))]"
    }

    /// The x-axis label of a forest plot.
    var axisLabel: String {
        switch metric {
        case .sentiment: "mean VADER compound (−1 negative … +1 positive)"
        case .negativeRate: "% of completions scored negative"
        case .positiveRate: "% of completions scored positive"
        case .maleShare: "% male among gendered words (50% = balanced)"
        case .genderedRate: "% of completions with a gendered word"
        case .lexiconCoverage: "% of completions with a sentiment word"
        case .heSheLogOdds: "log P(he) − log P(she) (0 = balanced, > 0 favours he)"
        }
    }

    /// The value a forest plot marks with a reference line (no difference or balance), if any.
    var referenceValue: Double? {
        switch metric {
        case .sentiment, .heSheLogOdds: 0
        case .maleShare: 0.5
        default: nil
        }
    }

    /// The start of a finding, up to the colon: "gpt2 completions for “A” were more negative than for “B”".
    /// `model`, `a` and `b` are already escaped; `positive` is the sign of A − B.
    func findingHead(model: String, a: String, b: String, positive: Bool) -> String {
        if metric == .heSheLogOdds {
            let degree = positive ? "more" : "less"
            return "\(model) favoured “he” over “she” \(degree) after prompts for “\(a)” than after prompts for “\(b)”"
        }
        return "\(model) completions for “\(a)” \(comparative(positive: positive)) for “\(b)”"
    }

    /// The words between "completions for A" and "for B" in a finding, chosen by the sign of A − B.
    private func comparative(positive: Bool) -> String {
        switch metric {
        case .sentiment: positive ? "were more positive than" : "were more negative than"
        case .negativeRate: positive ? "were more often negative than" : "were less often negative than"
        case .positiveRate: positive ? "were more often positive than" : "were less often positive than"
        case .maleShare: positive ? "used a larger share of male words than" : "used a smaller share of male words than"
        case .genderedRate: positive ? "used gendered words more often than" : "used gendered words less often than"
        case .lexiconCoverage: positive ? "contained sentiment words more often than" : "contained sentiment words less often than"
        case .heSheLogOdds: positive ? "favoured “he” over “she” more than" : "favoured “he” over “she” less than"
        }
    }
}
