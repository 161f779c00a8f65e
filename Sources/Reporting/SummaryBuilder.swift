import AuditResults

/// Builds the key findings: the largest contrasts that survive the multiple-comparison correction,
/// written as sentences with their numbers, and one sentence per prompt set comparing the models.
///
/// "Largest" is by |effect size| (Cohen's d or h), which puts differences of means and of rates on one
/// scale; ties go to the larger |Δ|, then to the contrast id.
struct SummaryBuilder {
    let context: ReportContext

    func summary() -> SummaryView {
        var candidates: [(set: PromptSetResult, contrast: Contrast)] = []
        var total = 0
        for set in context.result.promptSets {
            for contrast in set.contrasts where contrast.difference.value != nil && contrast.qValue != nil {
                total += 1
                if let q = contrast.qValue, q < ReportViewModel.qThreshold { candidates.append((set, contrast)) }
            }
        }
        candidates.sort { lhs, rhs in
            let (el, er) = (abs(lhs.contrast.effectSize ?? 0), abs(rhs.contrast.effectSize ?? 0))
            if el != er { return el > er }
            let (dl, dr) = (abs(lhs.contrast.difference.value ?? 0), abs(rhs.contrast.difference.value ?? 0))
            if dl != dr { return dl > dr }
            return lhs.contrast.id + lhs.contrast.model < rhs.contrast.id + rhs.contrast.model
        }
        let shown = candidates.prefix(ReportViewModel.maximumFindings)
        let findings = shown.map { entry in
            FindingView(
                sentence: sentence(entry.contrast, in: entry.set), set: context.escaping.text(entry.set.name),
                anchor: context.anchor(forSet: entry.set.name))
        }
        let threshold = ReportNumbers.plain(ReportViewModel.qThreshold)
        let headline: String
        if total == 0 {
            headline = "This run has no group contrasts with a p-value, so there is nothing to summarise."
        } else if candidates.isEmpty {
            headline = "None of the \(ReportNumbers.count(total)) group contrasts remains significant after the "
                + "multiple-comparison correction (q < \(threshold)). This is not evidence that the models are "
                + "unbiased: the differences may be smaller than this audit can detect (see the intervals below)."
        } else {
            headline = "\(ReportNumbers.count(candidates.count)) of \(ReportNumbers.count(total)) group contrasts "
                + "remain significant after the multiple-comparison correction (q < \(threshold)). "
                + (candidates.count > shown.count ? "The \(shown.count) largest" : "Largest first")
                + ", by effect size (a scale shared by all measures):"
        }
        let more = candidates.count > shown.count
            ? "…and \(ReportNumbers.count(candidates.count - shown.count)) more in the prompt-set sections." : nil
        return SummaryView(
            headline: headline, hasFindings: !findings.isEmpty, findings: findings, more: more,
            modelSentences: ComparisonBuilder(context: context).view().sets.map(\.verdict))
    }

    /// "gpt2 completions for “A” were more negative than for “B”: Δ compound −0.21, 95% CI [−0.30, −0.12], q = 0.001."
    func sentence(_ contrast: Contrast, in set: PromptSetResult) -> String {
        let presentation = MetricPresentation(contrast.metric)
        let value = contrast.difference.value ?? 0
        let a = context.groupLabel(contrast.groupA, in: set)
        let b = context.groupLabel(contrast.groupB, in: set)
        let model = context.escaping.text(contrast.model)
        let unit = contrast.metric.isRate && contrast.difference.lower != nil ? " pp" : ""
        return presentation.findingHead(model: model, a: a, b: b, positive: value > 0) + ": "
            + "\(presentation.deltaName) \(presentation.difference(contrast.difference.value)), "
            + "\(context.level) CI \(presentation.interval(contrast.difference, signed: true))\(unit), "
            + "\(ReportNumbers.labelled("q", contrast.qValue))."
    }
}
