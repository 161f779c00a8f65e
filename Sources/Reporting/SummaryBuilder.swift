import AuditResults
import PromptSets

/// Builds the key findings: the contrasts that ``Findings`` calls findings, in its ranking, written
/// as few sentences (one per pair of groups of a prompt set, every metric and model of that pair in
/// it), and one sentence per prompt set comparing the models.
///
/// Nothing here decides what a finding is or how findings rank: both come from
/// ``Findings/ranked(_:)``; a sentence takes the rank of its strongest finding, and its clauses keep
/// the order in which their findings rank.
struct SummaryBuilder {
    let context: ReportContext

    /// The number of sentences the summary lists before pointing to the sections.
    static let maximumSentences = 8

    /// The summary; `modelSentences` are the model comparison's per-set sentences (``ComparisonSetView/verdict``).
    func summary(modelSentences: [String]) -> SummaryView {
        let contrasts = context.result.promptSets.flatMap(\.contrasts)
        let tested = contrasts.filter { $0.family != nil && $0.pValue != nil }.count
        let ranked = Findings.ranked(contrasts, below: context.findingThreshold)
        let sentences = groupedFindings(ranked)
        let shown = sentences.prefix(Self.maximumSentences)
        let findings = shown.enumerated().map { index, group in
            FindingView(
                number: index + 1, sentence: sentence(group), set: context.escaping.text(group.set.name),
                anchor: context.anchor(forSet: group.set.name))
        }
        let words = context.words
        let headline: String
        if tested == 0 {
            // The hint on samples applies only when every group has one term (practitioner's review: it stood beside
            // 9 terms per group).
            let sets = context.result.promptSets
            let apart = sets.filter(\.groupsShareNoTemplate).count
            headline = words.noTestedContrasts(
                sets.allSatisfy { $0.groups.allSatisfy { $0.terms.count <= 1 } }, !sets.isEmpty && apart == sets.count,
                apart < sets.count && sets.contains(where: \.someGroupsShareNoTemplate))
        } else if ranked.isEmpty {
            headline = words.noFindings(context.count(tested), context.threshold, context.result.manifest.models.count == 1)
        } else {
            headline = words.findingsHeadline(ranked.count, context.count(tested), sentences.count, context.threshold)
        }
        let more = sentences.count > shown.count ? words.moreFindings(sentences.count - shown.count) : nil
        return SummaryView(
            headline: headline, hasFindings: !findings.isEmpty, findings: findings, more: more,
            modelSentences: modelSentences, hasModelSentences: !modelSentences.isEmpty)
    }

    /// The findings of one pair of groups of one prompt set, in ranking order.
    struct PairFindings {
        let set: PromptSetResult
        let groupA: String
        let groupB: String
        var contrasts: [Contrast]
    }

    /// Ranked findings grouped by (prompt set, group A, group B), the groups in the order of their
    /// strongest finding.
    func groupedFindings(_ ranked: [Contrast]) -> [PairFindings] {
        var groups: [PairFindings] = []
        var indices: [[String]: Int] = [:]
        for contrast in ranked {
            guard let set = context.set(containing: contrast) else { continue }
            let key = [set.name, contrast.groupA, contrast.groupB]
            if let index = indices[key] {
                groups[index].contrasts.append(contrast)
            } else {
                indices[key] = groups.count
                groups.append(PairFindings(set: set, groupA: contrast.groupA, groupB: contrast.groupB, contrasts: [contrast]))
            }
        }
        return groups
    }

    /// "For “A” compared with “B” (set): a more negative mean sentiment under gpt2 (Δ −0.14, 95% CI [−0.22, −0.07],
    /// q = 0.008) and under distilgpt2 (…); a smaller share of male words under gpt2 (…)."
    func sentence(_ group: PairFindings) -> String {
        var clauses: [(metric: AuditMetric, positive: Bool, contrasts: [Contrast])] = []
        for contrast in group.contrasts {
            let positive = (contrast.difference.value ?? 0) > 0
            if let index = clauses.firstIndex(where: { $0.metric == contrast.metric && $0.positive == positive }) {
                clauses[index].contrasts.append(contrast)
            } else {
                clauses.append((contrast.metric, positive, [contrast]))
            }
        }
        let words = context.words
        let texts = clauses.map { clause in
            let presentation = MetricPresentation(clause.metric, words: words)
            let models = clause.contrasts.map { contrast in
                words.underModel(context.escaping.text(contrast.model)) + " ("
                    + "Δ \(presentation.difference(contrast.difference.value)), "
                    + "\(words.ciLabel(context.level)) \(presentation.interval(contrast.difference, signed: true)), "
                    + "\(ReportNumbers.labelled("q", contrast.qValue, style: words.numbers, decidedAt: context.findingThreshold))"
                    + (context.templatesNote(contrast, in: group.set).map { ", \($0)" } ?? "") + ")"
            }
            return presentation.findingPhrase(positive: clause.positive) + " " + words.list(models)
        }
        let sentence = words.findingSentence(
            context.groupLabel(group.groupA, in: group.set), context.groupLabel(group.groupB, in: group.set),
            context.escaping.text(group.set.name), texts)
        guard let evidence = context.otherLanguage(of: group.set) else { return sentence }
        return sentence + " " + context.sectionWords.otherLanguageFinding(evidence.language, true)
    }
}
