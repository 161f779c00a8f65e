import AuditResults
import PromptSets
import Statistics
import Foundation

/// Builds one prompt set's section: groups, the groups × models table, charts, contrasts, examples.
struct SetBuilder {
    let context: ReportContext
    let promptSet: PromptSetResult

    /// Metrics that get a forest plot, when audited.
    static let chartedMetrics: [AuditMetric] = [.sentiment, .maleShare, .heSheLogOdds]
    /// The most examples shown per group and model: a run writes 3 (typical, most negative, most positive), a
    /// hand-made results file may hold any number (practitioner's review: 50,000 examples and pairs made a 45 MB
    /// report in 34 s). The rest stay in results.json; the header says so (``hiddenRows(of:)``).
    static let examplesShownPerGroupAndModel = 10
    /// The most counterfactual pairs shown per model: a run writes at most 2.
    static let pairsShownPerModel = 10

    /// The rows the report shows: the first `limit` of each `key`, in order.
    static func shown<Row>(_ rows: [Row], limit: Int, per key: (Row) -> String) -> [Row] {
        var counts: [String: Int] = [:]
        return rows.filter { row in
            let count = counts[key(row), default: 0] + 1
            counts[key(row)] = count
            return count <= limit
        }
    }

    /// The examples and counterfactual pairs of `set` beyond what the report shows (nil when it shows them all).
    static func hiddenRows(of set: PromptSetResult) -> (examples: Int, pairs: Int)? {
        let pairs = set.counterfactualPairs ?? []
        let hidden = (
            examples: set.examples.count
                - shown(set.examples, limit: examplesShownPerGroupAndModel) { $0.group + "\u{0}" + $0.model }.count,
            pairs: pairs.count - shown(pairs, limit: pairsShownPerModel, per: \.model).count)
        return hidden.examples == 0 && hidden.pairs == 0 ? nil : hidden
    }

    /// A row of the group table: the group's terms and prompts that have completions (``GroupInfo/analysedTerms``),
    /// with "3 of 8 terms:" and "9 of 24" where the completions covered only some (statistician's review 86: the table
    /// listed every term of the set beside a header note saying 27 of its 72 prompts had completions).
    /// A group of fixed prompts (``GroupInfo/isFixedPrompts(templates:)``; a review: in a set with templates they were
    /// listed as terms) lists its prompts, each quoted (``promptList(_:)``: a prompt may
    /// hold a comma), and says "2 of 3 prompts:" (review 87: "2 of
    /// 3 terms:" before two prompts); a group without completions says "none of its 8 terms" and lists nothing (review
    /// 87: "0 of 8 terms: " and an empty list).
    func groupView(_ group: GroupInfo) -> GroupView {
        let escaping = context.escaping
        let words = context.sectionWords
        let terms = group.analysedTerms
        let fixedPrompts = isFixedPrompts(group)
        let some = terms.count < group.terms.count
        let none = some && terms.isEmpty ? words.noTerms(context.count(group.terms.count), group.terms.count == 1, fixedPrompts) : nil
        return GroupView(
            label: escaping.text(context.label(group)), labelLanguage: context.labelLanguage(group.id, in: promptSet),
            id: escaping.text(group.id),
            // A template older than `noTerms` prints `terms` alone: it says "none of its 8 terms" too.
            terms: none ?? escaping.text(fixedPrompts ? Self.promptList(terms) : terms.joined(separator: ", ")),
            prompts: group.analysedPromptCount < group.promptCount
                ? words.somePrompts(context.count(group.analysedPromptCount), context.count(group.promptCount))
                : context.count(group.promptCount),
            someTerms: some && !terms.isEmpty
                ? words.someTerms(context.count(terms.count), context.count(group.terms.count), fixedPrompts) : nil,
            noTerms: none)
    }

    /// A group's fixed prompts as the group table lists them, unescaped: each in quotation marks, separated by
    /// semicolons, `“The nurse said that she, he”; “My grandmother always told me that”` (a review: joined with ", ",
    /// a prompt holding a comma read as two prompts). The Spanish report quotes with the same “…” (``quotedTerms()``,
    /// ReportWords+Spanish). A template's terms, short words, stay joined with ", ".
    static func promptList(_ prompts: [String]) -> String {
        prompts.map { "“\($0)”" }.joined(separator: "; ")
    }

    func view() -> SetView {
        let escaping = context.escaping
        let charts = escaping == .html ? self.charts() : []
        let contrasts = contrastRows()
        let examples = exampleGroups()
        let pairs = pairViews()
        let labour = labourViews()
        let power = ReportNumbers.level(
            (context.result.manifest.parameters.analysis ?? AnalysisParameters()).power, style: context.words.numbers)
        let anchor = context.anchor(forSet: promptSet.name)
        var view = SetView(
            name: escaping.text(promptSet.name), anchor: anchor,
            estimatesCaptionID: ReportContext.captionID("estimates", anchor: anchor),
            contrastsCaptionID: ReportContext.captionID("contrasts", anchor: anchor),
            examplesCaptionID: ReportContext.captionID("examples", anchor: anchor),
            pairsCaptionID: ReportContext.captionID("pairs", anchor: anchor),
            axis: escaping.text(promptSet.axis),
            description: escaping.text(promptSet.description(in: context.words.code)),
            source: escaping.text(promptSet.source(in: context.words.code)),
            templates: promptSet.templates.map(escaping.text), hasTemplates: !promptSet.templates.isEmpty,
            groups: promptSet.groups.map(groupView),
            estimates: estimateTable(), charts: charts, hasCharts: !charts.isEmpty,
            contrastCaption: context.words.contrastCaption(escaping.text(promptSet.name), context.level, power),
            contrasts: contrasts, hasContrasts: !contrasts.isEmpty, familyNote: familyNote(),
            examples: examples, hasExamples: !examples.isEmpty,
            pairsCaption: context.sectionWords.pairsCaption(escaping.text(promptSet.name), !promptSet.templates.isEmpty),
            pairs: pairs,
            hasPairs: !pairs.isEmpty, labour: labour, hasLabour: !labour.isEmpty)
        view.mixedUnits = !promptSet.templates.isEmpty && promptSet.groups.contains(where: isFixedPrompts)
        // Only under a table with a test (a review: under "No contrast of this set has a test" it spoke of tests).
        view.designNote = promptSet.contrasts.contains { $0.family != nil && $0.pValue != nil } ? designNote() : nil
        let code = context.words.code
        // An untranslated description or source is in the set's own language (a Spanish-written set's in Spanish, not
        // English: a helper's review); `…Foreign` says it differs from the page's, for the English template's `lang`.
        view.descriptionLanguage = context.textLanguage(translations: promptSet.descriptions, in: promptSet)
        view.sourceLanguage = context.textLanguage(translations: promptSet.sources, in: promptSet)
        view.descriptionForeign = view.descriptionLanguage != code
        view.sourceForeign = view.sourceLanguage != code
        if let evidence = context.otherLanguage(of: promptSet) {
            view.textLanguage = evidence.language?.code ?? ""
            view.textNotEnglish = true
            view.spanishTemplates = context.sectionWords.otherLanguageTemplates(
                evidence.language, evidence.words.map { "‘\(escaping.text($0))’" }.joined(separator: ", "), unitKind())
        }
        return view
    }

    private var metrics: [AuditMetric] { promptSet.metrics.sorted() }

    private var models: [String] {
        context.modelOrder.filter { model in promptSet.groupEstimates.contains { $0.model == model } }
    }

    private func estimateTable() -> EstimateTableView {
        var rows: [EstimateRowView] = []
        for group in promptSet.groups {
            for (index, model) in models.enumerated() {
                guard let estimates = promptSet.groupEstimates.first(where: { $0.model == model && $0.group == group.id }) else {
                    continue
                }
                rows.append(
                    EstimateRowView(
                        group: context.escaping.text(context.label(group)),
                        groupLanguage: context.labelLanguage(group.id, in: promptSet), model: context.escaping.text(model),
                        firstOfGroup: index == 0, n: context.count(estimates.completions),
                        cells: metrics.map { context.presentation($0).cell(estimates.estimate($0), escaping: context.escaping) }))
            }
        }
        return EstimateTableView(
            caption: context.words.estimateCaption(context.escaping.text(promptSet.name), context.level),
            columns: metrics.map { context.presentation($0).columnTitle }, rows: rows)
    }

    private func charts() -> [ChartView] {
        Self.chartedMetrics.filter(metrics.contains).compactMap { metric in
            let presentation = context.presentation(metric)
            let rows = promptSet.groups.map { group in
                ForestPlot.Row(
                    label: context.label(group),
                    points: models.map { model in
                        let estimates = promptSet.groupEstimates.first { $0.model == model && $0.group == group.id }
                        return ForestPlot.Point(
                            model: model, colorIndex: context.modelIndex(model),
                            estimate: estimates?.estimate(metric),
                            text: presentation.levelWithInterval(estimates?.estimate(metric), escaping: .html))
                    })
            }
            let plot = ForestPlot(
                id: "\(context.anchor(forSet: promptSet.name))-\(metric.rawValue)",
                title: context.words.chartTitle(promptSet.name, presentation.columnTitle),
                description: context.words.chartDescription(context.level, presentation.axisLabel),
                axisLabel: presentation.axisLabel, noEstimate: context.words.noEstimate,
                style: context.words.numbers, scale: metric.isRate ? 100 : 1,
                reference: presentation.referenceValue,
                models: models.map { ($0, context.modelIndex($0)) }, rows: rows)
            guard let svg = plot.svg() else { return nil }
            return ChartView(title: context.escaping.text(plot.title), svg: svg)
        }
    }

    private func contrastRows() -> [ContrastRowView] {
        let pairs = Dictionary(
            promptSet.contrasts.map(GroupPair.init).uniqued().enumerated().map { ($1, $0) }, uniquingKeysWith: min)
        let sorted = promptSet.contrasts.sorted { lhs, rhs in
            if lhs.metric != rhs.metric { return lhs.metric < rhs.metric }
            let (pl, pr) = (pairs[GroupPair(lhs)]!, pairs[GroupPair(rhs)]!)
            if pl != pr { return pl < pr }
            return context.modelIndex(lhs.model) < context.modelIndex(rhs.model)
        }
        let words = context.words
        return sorted.map { contrast in
            let presentation = context.presentation(contrast.metric)
            let tested = contrast.family != nil
            let supported = contrast.difference.insufficient == nil
            let finding = contrast.isFinding(below: context.findingThreshold)
            // A tested contrast without a q-value is not a "no" (review): without data (a male share from no gendered
            // word under --min-gendered-words 0) "insufficient data", with a value but no variance estimate "no test"
            // (what `check` calls "cannot fail with this design").
            let status = !tested ? words.descriptive
                : !supported || contrast.difference.value == nil ? words.insufficientShort
                : contrast.qValue == nil ? words.untestedShort
                : finding ? words.findingYes : words.findingNo
            let estimate = presentation.differenceWithInterval(
                contrast.difference, escaping: context.escaping, groups: promptSet.groups)
            let templatesNote = context.templatesNote(contrast, in: promptSet)
            return ContrastRowView(
                metric: presentation.columnTitle,
                groups: context.pairLabel(contrast.groupA, contrast.groupB, in: promptSet),
                groupsLanguage: context.pairLanguage(contrast.groupA, contrast.groupB, in: promptSet),
                model: context.escaping.text(contrast.model),
                estimate: estimate, templatesNote: templatesNote, difference: withTemplatesNote(estimate, templatesNote),
                // A descriptive metric has no test, so nothing it could detect (a statistician's review: MDEs beside
                // "descriptive"); results.json keeps the number.
                mde: !supported || !tested ? ReportNumbers.missing
                    : contrast.hasNoVarianceEstimate
                        ? (contrast.difference.lower == nil ? words.mdeWithoutVarianceEstimate : words.mdeWithoutVariation)
                    : presentation.minimumDetectableEffect(contrast.minimumDetectableEffect),
                mdeReason: supported && tested && contrast.hasNoVarianceEstimate,
                p: tested ? ReportNumbers.probability(contrast.pValue, style: words.numbers, decidedAt: context.findingThreshold)
                    : ReportNumbers.missing,
                q: tested ? ReportNumbers.probability(contrast.qValue, style: words.numbers, decidedAt: context.findingThreshold)
                    : ReportNumbers.missing,
                effect: supported ? effectText(contrast) : ReportNumbers.missing, finding: finding,
                insufficient: !supported, status: status)
        }
    }

    /// Superscript digits, for a power of ten.
    private static let superscripts: [Character: Character] = [
        "0": "⁰", "1": "¹", "2": "²", "3": "³", "4": "⁴", "5": "⁵", "6": "⁶", "7": "⁷", "8": "⁸", "9": "⁹",
    ]

    /// `d = +0.34 (small)`; the label only where Cohen's convention applies (see
    /// ``MetricPresentation/effectSizeLabelsApply``).
    private func effectText(_ contrast: Contrast) -> String {
        guard let size = contrast.effectSize, size.isFinite else { return ReportNumbers.missing }
        let symbol = switch contrast.effectSizeKind {
        case "cohens_d": "d"
        case "cohens_h": "h"
        default: context.escaping.text(contrast.effectSizeKind)
        }
        // Beyond ±10,000 (one group's completions all but alike: a within-group SD near 0) in powers of ten, not in
        // hundreds of digits (a practitioner's review: a d of 1e308 in a results file printed 309 digits): "+1.2 × 10⁴",
        // with superscript digits and no-break spaces, so that a narrow table cell does not break it apart.
        var magnitude = abs(size) >= 1e4 ? Int(log10(abs(size)).rounded(.down)) : 0
        if magnitude > 0, abs(size) / pow(10, Double(magnitude)) >= 9.95 { magnitude += 1 }  // 99,999: 1.0 × 10^5
        let shown = magnitude == 0
            ? ReportNumbers.fixed(size, decimals: 2, signed: true, style: context.words.numbers)
            : ReportNumbers.fixed(size / pow(10, Double(magnitude)), decimals: 1, signed: true, style: context.words.numbers)
                + "\u{A0}×\u{A0}10" + String(String(magnitude).map { Self.superscripts[$0] ?? $0 })
        let value = "\(symbol) = \(shown)"
        guard context.presentation(contrast.metric).effectSizeLabelsApply else { return value }
        // The label reads the value as printed (2 decimals, as `ReportNumbers.fixed` rounds it): h = 0.199 prints
        // "+0.20" and is "small", as the reader would classify it, not "negligible"; 0.495 prints "0.49", "small".
        return value + " (\(context.words.effectLabel(ReportNumbers.printedMagnitude(size, decimals: 2))))"
    }

    /// The families of this set (one per model, over its primary metrics) with their sizes, and how
    /// p and q were computed; when no contrast has a test, that none has (and why, for one-term groups); `nil` when
    /// the set has no contrast.
    private func familyNote() -> String? {
        let tested = promptSet.contrasts.filter { $0.family != nil && $0.pValue != nil }
        let families = models.compactMap { model -> (model: String, tests: Int)? in
            let tests = tested.filter { $0.model == model }.count
            return tests == 0 ? nil : (context.escaping.text(model), tests)
        }
        guard !families.isEmpty else {
            return promptSet.contrasts.isEmpty ? nil
                : context.words.noTestNote(promptSet.analysedGroupsAreSingleTerms ? quotedTerms() : nil, unitKind())
        }
        let analysis = context.result.manifest.parameters.analysis ?? AnalysisParameters()
        let style = context.words.numbers
        let descriptive = promptSet.metrics.sorted().filter { !promptSet.isTested($0) }
            .map { context.presentation($0).columnTitle }
        return context.words.familyNote(
            families, context.escaping.text(promptSet.name), context.threshold,
            ReportNumbers.level(analysis.power, style: style), ReportNumbers.plain(1 - analysis.confidenceLevel, style: style),
            descriptive, promptSet.contrasts.contains { $0.difference.method == MetricEstimate.copiesMethod },
            promptSet.analysedGroupsAreSingleTerms ? quotedTerms() : nil,
            testedOver(tested), unitKind(), promptSet.contrasts.contains { $0.metric == .heSheLogOdds })
    }

    /// The design note (``ReportWords/designNote``) of a set whose analysed design `lint` would call underpowered: groups
    /// with completions of 2 terms (or fixed prompts: each is its own unit), and single-term groups beside multi-term
    /// groups whose Σ(K − 1) is below ``Linter/minimumPooledTermDegreesOfFreedom``; nil when neither, and for a set of
    /// single-term groups only (their note is the family note's).
    private func designNote() -> String? {
        let analysed = analysedGroups
        let label = { (group: GroupInfo) in "“\(context.escaping.text(group.label(in: context.words.code)))”" }
        let design = { (group: GroupInfo) in
            DesignGroup(label: label(group), prompts: isFixedPrompts(group),
                        declared: group.terms.count > group.analysedTerms.count ? group.terms.count : nil)
        }
        let twoUnits = analysed.filter { $0.analysedTerms.count == 2 }.map(design)
        let single = analysed.filter { $0.analysedTerms.count == 1 }
        let multi = analysed.filter { $0.analysedTerms.count > 1 }
        let pooled = multi.reduce(0) { $0 + $1.analysedTerms.count - 1 }
        let borrowing = !single.isEmpty && !multi.isEmpty && pooled < Linter.minimumPooledTermDegreesOfFreedom
            ? (groups: single.map(design), lenders: multi.map(design), df: pooled) : nil
        guard !twoUnits.isEmpty || borrowing != nil else { return nil }
        return context.words.designNote(DesignNote(twoUnits: twoUnits, borrowing: borrowing))
    }

    /// The set's groups with completions.
    private var analysedGroups: [GroupInfo] { promptSet.groups.filter { !$0.analysedTerms.isEmpty } }

    /// Whether `group` is one of fixed prompts (``GroupInfo/isFixedPrompts(templates:)`` in this set).
    private func isFixedPrompts(_ group: GroupInfo) -> Bool { group.isFixedPrompts(templates: promptSet.templates.count) }

    /// What the set's groups with completions are made of (``UnitKind``).
    private func unitKind() -> UnitKind { UnitKind(fixed: analysedGroups.map(isFixedPrompts)) }

    /// What `tested` (the set's tested contrasts) are over: the exact log-odds are one value per prompt whatever the
    /// samples (a code review: a log-odds-only set at 6 samples read "one completion per prompt"), so the sampled
    /// metrics' methods decide.
    private func testedOver(_ tested: [Contrast]) -> TestedOver {
        let sampled = tested.filter { $0.metric != .heSheLogOdds }
        if sampled.isEmpty { return .termsExactValues }
        if promptSet.analysedGroupsAreSingleTerms {
            if context.result.manifest.source?.pairedStreams == false { return .streamsUnpaired }
            return unitKind() == .both ? .streamsPartlyPaired : .streamsPaired
        }
        let termsOnly = [VarianceMethod.termClusters.rawValue, MetricEstimate.copiesMethod]
        guard sampled.allSatisfy({ termsOnly.contains($0.difference.method ?? "") }) else { return .termsAndStreams }
        return sampled.contains { $0.difference.method == MetricEstimate.copiesMethod } ? .termsCopies : .termsOneCompletionEach
    }

    /// The single terms of a set whose every group was analysed on one term, quoted and escaped: "“man”, “woman”" (at
    /// most 6, then "…"); the analysed term of a group whose completions cover one of its terms.
    private func quotedTerms() -> String {
        let terms = promptSet.analysedSingleTerms
        return terms.prefix(6).map { "“\(context.escaping.text($0))”" }.joined(separator: ", ") + (terms.count > 6 ? ", …" : "")
    }

    private func exampleGroups() -> [ExampleGroupView] {
        // Sorted by plain keys, each example's model position and kind looked up once, and only the shown ones copied (a
        // hostile review: 283,000 examples took `report` 97 s, sorted with two model lookups per comparison).
        let all = promptSet.examples
        let kinds = Dictionary(uniqueKeysWithValues: Set(all.map(\.kind)).sorted().enumerated().map { ($1, $0) })
        let keys = all.indices.map { (model: context.modelIndex(all[$0].model), kind: kinds[all[$0].kind]!, index: $0) }
        let byGroup = Dictionary(grouping: keys) { all[$0.index].group }
        return promptSet.groups.compactMap { group in
            let sorted = (byGroup[group.id] ?? []).sorted {
                ($0.model, $0.kind, all[$0.index].compound, $0.index) < ($1.model, $1.kind, all[$1.index].compound, $1.index)
            }
            let examples = Self.shown(sorted, limit: Self.examplesShownPerGroupAndModel) { String($0.model) }
                .map { all[$0.index] }
            guard !examples.isEmpty else { return nil }
            return ExampleGroupView(
                group: context.escaping.text(context.label(group)),
                groupLanguage: context.labelLanguage(group.id, in: promptSet),
                rows: examples.map { example in
                    let text = exampleText(prompt: example.prompt, continuation: example.continuation)
                    return ExampleRowView(
                        model: context.escaping.text(example.model),
                        kind: context.escaping.text(context.words.exampleKind(example.kind)),
                        compound: ReportNumbers.fixed(example.compound, decimals: 3, signed: true, style: context.words.numbers),
                        prompt: text.prompt, continuation: text.continuation, cut: text.cut)
                })
        }
    }
}

extension SetBuilder {
    /// The counterfactual pairs, by model order, each as recorded (largest difference first).
    func pairViews() -> [PairView] {
        let pairs = (promptSet.counterfactualPairs ?? []).enumerated().sorted { lhs, rhs in
            let (ml, mr) = (context.modelIndex(lhs.element.model), context.modelIndex(rhs.element.model))
            return ml != mr ? ml < mr : lhs.offset < rhs.offset
        }.map(\.element)
        let style = context.words.numbers
        return Self.shown(pairs, limit: Self.pairsShownPerModel, per: \.model).map { pair in
            let templateNumber = pair.template.flatMap { promptSet.templates.firstIndex(of: $0) }.map { String($0 + 1) }
            // The template is an ordinal in the set's list (from 1, as every note names templates); the sample is the
            // file's sample_index (from 0), as the coverage notes give it, so that a reader finds the line (review
            // 86: "sample 6" was sample_index 5).
            let sampleNumber = String(pair.sampleIndex)
            return PairView(
                model: context.escaping.text(pair.model),
                groups: context.pairLabel(pair.a.group, pair.b.group, in: promptSet),
                groupsLanguage: context.pairLanguage(pair.a.group, pair.b.group, in: promptSet),
                // A set of fixed prompts has no templates to number: its pairs name only the sample index (review 87:
                // "template —" under a caption on the nth of the templates above).
                place: context.sectionWords.pairPlace(
                    promptSet.templates.isEmpty ? nil : templateNumber ?? ReportNumbers.missing, sampleNumber),
                template: pair.template.map(context.escaping.text) ?? ReportNumbers.missing,
                difference: ReportNumbers.fixed(pair.difference, decimals: 3, signed: true, style: style),
                a: side(pair.a), b: side(pair.b))
        }
    }

    private func side(_ side: PairedCompletion) -> PairSideView {
        let text = exampleText(prompt: side.prompt, continuation: side.continuation)
        return PairSideView(
            group: context.groupLabel(side.group, in: promptSet),
            groupLanguage: context.labelLanguage(side.group, in: promptSet),
            compound: ReportNumbers.fixed(side.compound, decimals: 3, signed: true, style: context.words.numbers),
            prompt: text.prompt, continuation: text.continuation, cut: text.cut)
    }

    /// A prompt and its continuation, escaped; Markdown trims them (its emphasis must not start or end
    /// with a space); an empty continuation prints as "(empty)". Each is cut after ``maximumShownScalars``:
    /// the prompt's note follows it, the continuation's is `cut`, which the templates print outside the
    /// highlighted model text.
    func exampleText(prompt: String, continuation: String) -> (prompt: String, continuation: String, cut: String?) {
        let trimmed = Self.trimmingWhitespace(continuation)
        let markdown = context.escaping == .markdown
        let shownPrompt = shown(markdown ? Self.trimmingWhitespace(prompt) : prompt, total: prompt.unicodeScalars.count)
        guard !trimmed.isEmpty else { return (shownPrompt.text + (shownPrompt.note ?? ""), context.words.empty, nil) }
        let shownContinuation = shown(markdown ? trimmed : continuation, total: continuation.unicodeScalars.count)
        return (shownPrompt.text + (shownPrompt.note.map { " " + $0 } ?? ""), shownContinuation.text, shownContinuation.note)
    }

    /// The most Unicode scalars (code points) of an example's prompt or continuation a report shows: a served
    /// model (or a hand-made completions file) can return megabytes of text, which would bury the report.
    /// Counted in scalars, not characters, so that one character of a million combining marks is cut too.
    static let maximumShownScalars = 2000

    /// `text` escaped and cut after ``maximumShownScalars``, with the escaped note of `total`, the length of the
    /// text as stored (before the Markdown report trims its white space, so both formats state the same
    /// length), when it was cut.
    private func shown(_ text: String, total: Int) -> (text: String, note: String?) {
        let scalars = text.unicodeScalars
        guard scalars.count > Self.maximumShownScalars else { return (context.escaping.text(text), nil) }
        let cut = String(String.UnicodeScalarView(scalars.prefix(Self.maximumShownScalars)))
        return (context.escaping.text(cut) + "…", context.escaping.text(context.words.shortened(context.count(total))))
    }

    /// `text` without leading and trailing white space (Unicode's White_Space scalars, newlines included:
    /// the set `CharacterSet.whitespacesAndNewlines` trims, without Foundation's bridging cost).
    static func trimmingWhitespace(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex { !$0.properties.isWhitespace }!
        return String(scalars[first...last])
    }

    /// One table per model of the occupations with labour statistics.
    func labourViews() -> [LabourView] {
        let comparisons = (promptSet.labourStatistics ?? []).sorted {
            context.modelIndex($0.model) < context.modelIndex($1.model)
        }
        let words = context.sectionWords
        let style = context.words.numbers
        let presentation = context.presentation(.maleShare)
        return comparisons.enumerated().map { index, comparison in
            let correlation = comparison.spearman.map {
                words.spearman(
                    ReportNumbers.fixed($0, decimals: 2, signed: true, style: style), context.count(comparison.supported),
                    comparison.spearmanPValue.map { ReportNumbers.labelled("p", $0, style: style) })
            } ?? words.noSpearman(
                comparison.supported < LabourComparison.minimumOccupations, context.count(comparison.supported),
                LabourConstantSide(comparison.occupations.filter(\.isSupported)))
            // The labour shares with the decimals the set gives them (whole percents in the shipped set: "87.0%" showed a
            // precision the statistics do not have; a teacher's review).
            let shareDecimals = comparison.occupations.allSatisfy { row in
                [row.womenShare, row.menShare].allSatisfy { abs($0 * 100 - ($0 * 100).rounded()) < 1e-9 }
            } ? 0 : 1
            let labourShare = { (share: Double) in
                ReportNumbers.fixed(share * 100, decimals: shareDecimals, style: style) + style.percentSign
            }
            return LabourView(
                model: context.escaping.text(comparison.model),
                captionID: ReportContext.captionID(
                    "labour", anchor: context.anchor(forSet: promptSet.name), index: index + 1),
                caption: words.labourCaption(
                    context.escaping.text(promptSet.name), context.escaping.text(comparison.model),
                    context.words.ciLabel(context.level)),
                correlation: correlation,
                rows: comparison.occupations.map { row in
                    LabourRowView(
                        occupation: context.escaping.text(row.term), group: context.groupLabel(row.group, in: promptSet),
                        groupLanguage: context.labelLanguage(row.group, in: promptSet),
                        womenShare: labourShare(row.womenShare), menShare: labourShare(row.menShare),
                        // An occupation's own reason ("for this occupation", not "in a group": review).
                        maleShare: row.maleShare.terms == 0 && row.maleShare.n == 0 ? words.occupationNoCompletions
                            : row.maleShare.insufficientDetail.flatMap { detail in
                            switch detail.reason {
                            case .tooFewGenderedWords: words.occupationTooFewWords(detail.observed, detail.minimum)
                            case .tooFewGenderedCompletions:
                                words.occupationTooFewCompletions(detail.observed, detail.minimum)
                            default: nil
                            }
                        } ?? presentation.levelWithInterval(row.maleShare, escaping: context.escaping),
                        insufficient: row.maleShare.insufficient != nil)
                })
        }
    }
}

/// The two groups a contrast compares, in its order.
private struct GroupPair: Hashable {
    let groupA: String
    let groupB: String

    init(_ contrast: Contrast) {
        groupA = contrast.groupA
        groupB = contrast.groupB
    }
}
