import AuditResults
import Foundation
import PromptSets

extension ReportViewModel {
    /// Builds the view model of `result` for one report format and language.
    /// - Parameters:
    ///   - result: the audit.
    ///   - escaping: how untrusted text is made safe (``ReportEscaping/html`` or ``ReportEscaping/markdown``);
    ///     HTML view models also carry the SVG charts.
    ///   - language: the language of the fixed text and numbers (English by default).
    public init(_ result: AuditResult, escaping: ReportEscaping, language: ReportLanguage = .en) {
        let context = ReportContext(result: result, escaping: escaping, language: language)
        let words = context.words
        let style = words.numbers
        let manifest = result.manifest
        let parameters = manifest.parameters
        let analysis = parameters.analysis ?? AnalysisParameters()
        let modelNames = manifest.models.map { escaping.text($0.id) }
        lang = words.code
        versus = modelNames.isEmpty ? words.noModels : modelNames.joined(separator: words.versus)
        title = words.titlePrefix + versus
        comparisonVersus = modelNames.count == 2 ? modelNames.reversed().joined(separator: words.versus) : versus
        date = escaping.text(ReportNumbers.timestamp(result.timing.startedAt))
        toolVersion = escaping.text(manifest.toolVersion)
        confidence = context.level
        models = manifest.models.enumerated().map { index, model in
            ModelView(
                id: escaping.text(model.id), spec: escaping.text(model.spec ?? ReportNumbers.missing),
                // A model of an `analyze` file was not run here: its completions came from the file (a teacher's review:
                // a row of dashes).
                source: escaping.text(context.sectionWords.source(
                    model.source ?? (context.result.manifest.source != nil ? "completions" : nil))),
                revision: escaping.text(model.revision ?? ReportNumbers.missing),
                commit: escaping.text(model.commit.map(ReportNumbers.shortDigest) ?? ReportNumbers.missing),
                architecture: model.layers.flatMap { layers in
                    model.heads.flatMap { heads in model.embeddingSize.map { words.architecture(layers, heads, $0) } }
                } ?? ReportNumbers.missing,
                weights: escaping.text(model.weightsSHA256.map(ReportNumbers.shortDigest) ?? ReportNumbers.missing),
                weightsFull: escaping.text(model.weightsSHA256 ?? ReportNumbers.missing),
                modelFiles: escaping.text(ReportViewModel.modelFileDigests(model)),
                colorClass: ForestPlot.colorClass(index))
        }
        let setsByName = Dictionary(result.promptSets.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        promptSetRows = manifest.promptSets.map { entry in
            let set = setsByName[entry.name]
            return PromptSetRowView(
                name: escaping.text(entry.name), anchor: context.anchor(forSet: entry.name),
                axis: escaping.text(set?.axis ?? ReportNumbers.missing),
                groups: set.map { context.count($0.groups.count) } ?? ReportNumbers.missing,
                templates: set.map { context.count($0.templates.count) } ?? ReportNumbers.missing,
                prompts: context.count(entry.promptCount), samples: context.count(entry.samples),
                maxNewTokens: context.count(entry.maxNewTokens),
                digest: escaping.text(ReportNumbers.shortDigest(entry.sha256)))
        }
        let row = { (setting: ReportWords.Setting, value: String) in NameValueView(name: words.setting(setting), value: value) }
        let sweepBuilder = SweepBuilder(context: context)
        sampling = [
            row(.samples, parameters.samples.map { "\(context.count($0)) (--samples)" } ?? words.eachSetsOwn),
            // The limit the sets used: one shared by every set is that one, not `run`'s default (a teacher's review: a set
            // of `max_new_tokens: 12` was reported at 20).
            row(.maxNewTokens, Set(manifest.promptSets.map(\.maxNewTokens)).count > 1
                ? words.eachSetsOwn : context.count(manifest.promptSets.first?.maxNewTokens ?? parameters.maxNewTokens)),
            row(.temperature, sweepBuilder.sweptSetting("temperature") ?? ReportNumbers.plain(parameters.temperature, style: style)),
            row(.topK, sweepBuilder.sweptSetting("top_k") ?? (parameters.topK == 0 ? words.off : String(parameters.topK))),
            row(.topP, sweepBuilder.sweptSetting("top_p")
                ?? (parameters.topP >= 1 ? words.off : ReportNumbers.plain(parameters.topP, style: style))),
            row(.seed, String(parameters.seed)),
        ]
        // As the model-comparison section (``ComparisonView/shown``): a one-model report has no verdicts.
        let comparesModels = manifest.models.count > 1 || !result.modelComparisons.isEmpty
        let copied = Set(result.modelsWithCopiesOfOneDraw)
        let copies: CopiesExtent = copied.isEmpty ? .none
            : Set(manifest.models.map(\.id)).isSubset(of: copied) ? .all : .some
        let units = TerminalNotes.unitKind(result)
        statistics = [
            row(.confidence, context.level),
            row(.intervals, words.intervalsValue(copies, units)),
            row(.tests, words.testsValue(comparesModels, copies, units)),
            row(.family, words.familyValue(escaping.text(analysis.family))),
            row(comparesModels ? .falseDiscoveryRate : .falseDiscoveryRateOfFindings,
                ReportNumbers.plain(analysis.falseDiscoveryRate, style: style)),
            row(.power, ReportNumbers.level(analysis.power, style: style)),
            row(.minimumGenderedWords, context.count(analysis.minimumGenderedWords)),
        ] + (analysis.minimumEvents.map { [row(.minimumEvents, $0 == 0 ? words.off : context.count($0))] } ?? []) + [
            row(.negativeThreshold, ReportNumbers.plain(parameters.negativeThreshold, style: style)),
            row(.positiveThreshold, ReportNumbers.plain(parameters.positiveThreshold, style: style)),
        ]
        completions = Self.completionsText(result, modelNames: manifest.models.map(\.id), context: context)
        completionsDigest = manifest.completionsSHA256.map { escaping.text(ReportNumbers.shortDigest($0)) }
        completionsDigestFull = manifest.completionsSHA256.map(escaping.text)
        timing = Self.timingRows(result.timing, generated: manifest.source == nil, context: context)
        speed = Self.speedRows(result, context: context)
        hasSpeed = !speed.isEmpty
        speedNotes = Self.speedNotes(result, context: context)
        injectedBiases = Self.injectedBiasTexts(parameters, context: context)
        hasInjectedBiases = !injectedBiases.isEmpty
        let current = AnalysisParameters.currentStatisticsRevision
        let revisionNote = result.followsEarlierRules
            ? context.sectionWords.earlierRules(result.statisticsRevision, current, result.sweep != nil)
            : result.followsLaterRules ? context.sectionWords.laterRules(result.statisticsRevision ?? 0, current) : nil
        let leftOut = result.promptSets.compactMap { set in
            SetBuilder.hiddenRows(of: set).map { hidden in
                context.sectionWords.rowsLeftOut(
                    context.escaping.text(set.name), hidden.examples > 0 ? context.count(hidden.examples) : nil,
                    hidden.pairs > 0 ? context.count(hidden.pairs) : nil, SetBuilder.examplesShownPerGroupAndModel,
                    SetBuilder.pairsShownPerModel)
            }
        }
        let code = context.words.code
        // Sets written in English whose text is not translated: a set written in the page's language needs no
        // translation (a review: the Spanish header said a Spanish-written set's labels were "en inglés"), and one written
        // in a third language is not in English either (its prompts' note names that language).
        let english = result.promptSets.filter { context.ownLanguage(of: $0) == "en" }
        let untranslated = context.sectionWords.untranslated(
            english.filter { set in set.groups.contains { $0.labels?[code] == nil } }.map { context.escaping.text($0.name) },
            english.filter { $0.descriptions?[code] == nil || $0.sources?[code] == nil }.map { context.escaping.text($0.name) })
        // Copies of one completion per prompt (greedy decoding, `GroupData.holdCopies`), as the statistics found them,
        // not as the settings say (review: a served model that refused top_k 1 sampled): what that leaves to measure.
        // A sweep's settings too (review: `--sweep top_k=50,1` had none for its greedy setting).
        let greedy = TerminalNotes.greedy(
            result, language: context.language, name: { "‘\(context.escaping.text($0))’" }, setting: context.escaping.text
        ).map { [$0] } ?? []
        // Fewer samples per prompt than the validated designs (a student's 2-sample run had a rate "finding" whose SE was
        // as large as its gap): said where the reader reads the findings, not only on standard error.
        // Each set with its own samples per prompt (code review: "1 sample per prompt" was said of a 3-sample set beside a
        // 1-sample one), and "no interval" only of the sets whose levels have none (a greedy run's have theirs).
        let thin = manifest.setsBelowValidatedSamplesBySamples.map { group in
            (sets: group.sets.map { context.escaping.text($0.name) }.joined(separator: ", "), samples: context.count(group.samples))
        }
        let withoutLevels = result.promptSets.filter { set in
            set.groupEstimates.contains { $0.estimates.contains { $0.estimate.insufficientDetail?.reason == .tooFewSamples } }
        }.map { context.escaping.text($0.name) }
        let fewSamples = thin.isEmpty ? [] : [context.sectionWords.fewSamples(
            thin, context.count(AuditManifest.fewestValidatedSamples),
            withoutLevels.isEmpty ? nil : withoutLevels.joined(separator: ", "), manifest.undeclaredGreedyHint)]
        // Two copies of one model: their comparisons are an exact 0 by construction (a student's review).
        let identical = TerminalNotes.identicalModels(manifest, language: context.language).map {
            [context.escaping.text($0) + "."]
        } ?? []
        sourceNotes = (revisionNote.map { [$0] } ?? []) + identical + greedy + fewSamples + leftOut + (untranslated.map { [$0] } ?? [])
            + Self.sourceNotes(manifest.source, context: context)
            + TerminalSummary.contextFullNotes(
                result, words: context.sectionWords, style: context.words.numbers, text: context.escaping.text)
        hasSourceNotes = !sourceNotes.isEmpty
        nonDefaultSettings = Self.nonDefaultSettings(parameters, context: context)
        nonDefaultSettingsText = nonDefaultSettings.map { "\($0.name): \($0.value)" }.joined(separator: " · ")
        hasNonDefaultSettings = !nonDefaultSettings.isEmpty
        comparison = ComparisonBuilder(context: context).view()
        summary = SummaryBuilder(context: context).summary(modelSentences: comparison.sets.map(\.verdict))
        glance = GlanceBuilder(context: context).view()
        sets = result.promptSets.map { SetBuilder(context: context, promptSet: $0).view() }
        sweep = SweepBuilder(context: context).view()
        methods = Self.methods(manifest, context: context)
        // The Methods bullet on copies speaks of the sweep's greedy settings too.
        let copiedSettings = result.sweepSettingsWithCopiesOfOneDraw
        let mainCopies = result.holdsCopiesOfOneDraw
        methods.copies = mainCopies || !copiedSettings.isEmpty
        if let sweep = result.sweep, !copiedSettings.isEmpty {
            let settings = context.language.words.list(copiedSettings.map {
                context.escaping.text(SweepBuilder.settingText($0, of: sweep, language: context.language))
            })
            if !mainCopies {
                methods.copiesOnlyInSweep = settings
            } else if copiedSettings.count < sweep.settings.count {
                methods.copiesInSweepOnlyAt = settings
            }
        }
        methods.fixedPromptsOnly = TerminalNotes.unitKind(result) == .prompts
        methods.someFixedPrompts = TerminalNotes.unitKind(result) == .both
    }

    private static func completionsText(_ result: AuditResult, modelNames: [String], context: ReportContext) -> String {
        var perModel: [String: Int] = [:]
        for set in result.promptSets {
            for estimates in set.groupEstimates { perModel[estimates.model, default: 0] += estimates.completions }
        }
        let total = perModel.values.reduce(0, +)
        // A sweep scores as many completions at each setting as at the first, whose estimates these are (review: the
        // header said 192 where the sweep's table and its Speed rows had 576).
        let settings = max(result.sweep?.settings.count ?? 1, 1)
        // Counts of a file are bounded (2^53 in all) but its settings only for drawing: a product that overflows
        // (an edited file) is shown per setting (code review: the multiplication trapped).
        let (sweepTotal, overflow) = total.multipliedReportingOverflow(by: settings)
        guard settings > 1, !overflow else {
            return context.words.completions(
                context.count(total), modelNames.map { "\(context.escaping.text($0)) \(context.count(perModel[$0] ?? 0))" })
        }
        let parts = modelNames.map { "\(context.escaping.text($0)) \(context.count((perModel[$0] ?? 0) * settings))" }
        return context.words.sweepCompletions(context.count(sweepTotal), parts, context.count(total), settings)
    }

    /// Started, finished, wall time, generation (`generated`: not for completions `analyze` read, which generated none;
    /// a student's review found "Generation 0 ms" there) and statistics.
    private static func timingRows(_ timing: AuditTiming, generated: Bool, context: ReportContext) -> [NameValueView] {
        let words = context.words
        let style = words.numbers
        var rows = [
            NameValueView(name: words.setting(.started), value: context.escaping.text(ReportNumbers.timestamp(timing.startedAt))),
            NameValueView(name: words.setting(.finished), value: context.escaping.text(ReportNumbers.timestamp(timing.finishedAt))),
        ]
        if let start = ReportNumbers.parseDate(timing.startedAt), let end = ReportNumbers.parseDate(timing.finishedAt) {
            rows.append(
                NameValueView(name: words.setting(.wallTime), value: ReportNumbers.duration(end.timeIntervalSince(start), style: style)))
        }
        if generated {
            rows.append(NameValueView(name: words.setting(.generation), value: ReportNumbers.duration(timing.generationSeconds, style: style)))
        }
        rows.append(NameValueView(name: words.setting(.statistics), value: ReportNumbers.duration(timing.statisticsSeconds, style: style)))
        return rows
    }

    private static func methods(_ manifest: AuditManifest, context: ReportContext) -> MethodsView {
        let parameters = manifest.parameters
        let analysis = parameters.analysis ?? AnalysisParameters()
        let style = context.words.numbers
        let command = ReportEscaping.visible(ShellQuoting.commandLine(manifest.commandLine))
        // A served model whose server refused a parameter the run asked for says so (review: "Top-k 50" stood in the
        // settings while top_k was never sent).
        let served = manifest.models.filter { $0.commonRandomNumbers == false }.map { model in
            let accepted = model.acceptedParameters
            let missing = accepted.map { accepted in
                (parameters.topK > 0 && !accepted.contains("top_k") ? ["top_k"] : []) + (accepted.contains("seed") ? [] : ["seed"])
            } ?? []
            let name = context.escaping.text(model.id)
            // Review 84: a server that returned no log-probabilities was said on stderr and in the manifest only.
            let notes = (missing.isEmpty ? [] : [context.sectionWords.notSent(missing.joined(separator: ", "))])
                + (model.nextTokenLogOdds == "unavailable" ? [context.sectionWords.noLogOdds] : [])
            return notes.isEmpty ? name : "\(name) (\(notes.joined(separator: "; ")))"
        }
        var view = MethodsView(
            confidence: context.level,
            power: ReportNumbers.level(analysis.power, style: style),
            alpha: ReportNumbers.plain(1 - analysis.confidenceLevel, style: style),
            minimumGenderedWords: context.count(analysis.minimumGenderedWords),
            minimumGenderedCompletions: context.count(analysis.minimumGenderedCompletions),
            negativeThreshold: ReportNumbers.plain(parameters.negativeThreshold, style: style),
            positiveThreshold: ReportNumbers.plain(parameters.positiveThreshold, style: style),
            qThreshold: context.threshold,
            command: command,
            commandFence: ShellQuoting.fence(for: command),
            lexicons: manifest.lexicons.map {
                NameValueView(name: context.escaping.text($0.name), value: context.escaping.text($0.sha256))
            })
        view.summaryPairs = context.count(SummaryBuilder.maximumSentences)
        view.noiseShare = context.words.noiseShare(1 - analysis.confidenceLevel)
        // Fixed words and a number: no outside text to escape (the HTML templates entity-escape it).
        view.mdeFamilyPower = context.words.mdeFamilyPower(context.findingThreshold, context.threshold)
        // The exact power with few df at this run's α (statistician's review: a 99% report quoted α = 0.05's 73–79%).
        if let range = MDEExactPower.smallDegreesOfFreedomRange(alpha: 1 - analysis.confidenceLevel, nominal: analysis.power) {
            view.mdeSmallDfPower = context.words.mdeSmallDfPower(
                context.words.percentRange(range.low, range.high), view.power, view.alpha, range.side)
        }
        view.servedModels = served.isEmpty ? nil : served.joined(separator: ", ")
        view.pairedStreams = manifest.source?.pairedStreams ?? true
        // Pairs of models (neither served) whose every comparison is unpaired although the analysis is paired.
        let servedIDs = Set(manifest.models.filter { $0.commonRandomNumbers == false }.map(\.id))
        var unpairedPairs: [String] = []
        if view.pairedStreams {
            let byPair = Dictionary(grouping: context.result.modelComparisons) { [$0.modelA, $0.modelB] }
            for comparison in context.result.modelComparisons {
                let pair = [comparison.modelA, comparison.modelB]
                let text = context.words.list(pair.map(context.escaping.text))
                guard !pair.contains(where: servedIDs.contains), !unpairedPairs.contains(text),
                    byPair[pair]?.allSatisfy({ !$0.paired }) == true
                else { continue }
                unpairedPairs.append(text)
            }
        }
        view.unpairedModelPairs = unpairedPairs.isEmpty ? nil : unpairedPairs.joined(separator: "; ")
        let pairs = Set(context.result.modelComparisons.map { [$0.modelA, $0.modelB] })
        view.everyPairUnpaired = served.isEmpty && !unpairedPairs.isEmpty && unpairedPairs.count == pairs.count
        view.suppliedCompletions = manifest.source != nil
        view.mergedShards = manifest.source == nil && manifest.commandLine.dropFirst().first == "merge"
        view.pairingAssumed = manifest.source?.completionsMadeElsewhere ?? false
        view.onlyCopies = context.result.holdsOnlyCopiesOfOneDraw
        view.minimumEvents = analysis.minimumEvents.flatMap { $0 > 0 ? context.count($0) : nil }  // 0: no rule to state
        view.cochranRule = analysis.minimumEvents == 10
        view.noGenderedWordMinimum = analysis.minimumGenderedWords == 0
        view.oneGenderedWord = analysis.minimumGenderedWords == 1
        view.oneGenderedCompletion = analysis.minimumGenderedCompletions == 1
        let code = context.words.code
        let arguments = manifest.commandLine
        // The last `--lang` the command gives (its parser keeps the last), "en" without one.
        let languageFlag = arguments.lastIndex { $0 == "--lang" || $0.hasPrefix("--lang=") }
        view.languageFlagInCommand = languageFlag != nil
        let commandLanguage = languageFlag.map { index in
            arguments[index] == "--lang" ? (index + 1 < arguments.count ? arguments[index + 1] : "en")
                : String(arguments[index].dropFirst("--lang=".count))
        } ?? "en"
        view.languageFlagMissing = commandLanguage != code
        let oneTerm = context.result.promptSets.filter(\.analysedGroupsAreSingleTerms)
        view.oneTermSets = oneTerm.isEmpty ? nil : oneTerm.map { context.escaping.text($0.name) }.joined(separator: ", ")
        // Each such set with the metrics concerned (a review: a set named alone read as if its tested % negative were meant,
        // where only its descriptive % gendered was).
        let unlent = context.result.promptSets.compactMap { set -> String? in
            guard !set.analysedGroupsAreSingleTerms else { return nil }
            let metrics = set.metrics.sorted().filter { metric in
                metric.isRate && set.contrasts.contains { $0.metric == metric && $0.difference.isUnlentSingleTerm }
            }
            guard !metrics.isEmpty else { return nil }
            return context.escaping.text(set.name) + " (" + metrics.map { context.presentation($0).columnTitle }
                .joined(separator: ", ") + ")"
        }
        view.unlentSingleTermSets = unlent.isEmpty ? nil : unlent.joined(separator: "; ")
        // Sets whose declared primary_metrics leave out a primary metric they audit (their contrasts have no family).
        let narrowed = context.result.promptSets.compactMap { set -> String? in
            let tested = set.metrics.sorted().filter(set.isTested)
            guard !tested.isEmpty, tested.count < set.metrics.filter(\.isPrimary).count else { return nil }
            return context.words.narrowedSet(
                context.escaping.text(set.name), context.words.list(tested.map { context.presentation($0).columnTitle }))
        }
        view.narrowedSets = narrowed.isEmpty ? nil : narrowed.joined(separator: "; ")
        return view
    }
}

extension ReportViewModel {
    /// The rows of `sampling` and `statistics` whose values differ from `run`'s defaults
    /// (``AuditResults/RunParameters/defaults``): `--samples` when it differs from a set's own default
    /// (``AuditResults/PromptSetManifest/defaultSamples``; whenever given in files without them).
    /// A parameter swept by `run --sweep` is always listed, with all its values and the one the main tables
    /// use (the first setting's: ``SweepResult/base``).
    static func nonDefaultSettings(_ parameters: RunParameters, context: ReportContext) -> [NameValueView] {
        let defaults = RunParameters.defaults
        let analysis = parameters.analysis ?? AnalysisParameters()
        let standard = defaults.analysis ?? AnalysisParameters()
        let words = context.words
        let style = words.numbers
        var rows: [NameValueView] = []
        func add(_ differs: Bool, _ setting: ReportWords.Setting, _ value: @autoclosure () -> String) {
            if differs { rows.append(NameValueView(name: words.setting(setting), value: value())) }
        }
        // `--samples` overrides every set's own default; it is a change only where it differs from one. Files without
        // the sets' defaults (analyze, older runs) list it whenever given, as before.
        let setDefaults = context.result.manifest.promptSets.map(\.defaultSamples)
        let samplesDiffer = parameters.samples.map { samples in
            setDefaults.isEmpty || setDefaults.contains { $0 != samples }
        } ?? false
        add(samplesDiffer, .samples, parameters.samples.map { context.count($0) } ?? "")
        // `--max-new-tokens` likewise: a change where a set used another limit than its own default (`run`'s default
        // 20 beside a set whose defaults say 40 was listed as unchanged); files without the sets' defaults compare
        // with `run`'s default, as before.
        let setLimits = context.result.manifest.promptSets.compactMap { set in
            set.defaultMaxNewTokens.map { (used: set.maxNewTokens, own: $0) }
        }
        let limitDiffers = setLimits.count == context.result.manifest.promptSets.count && !setLimits.isEmpty
            ? setLimits.contains { $0.used != $0.own } : parameters.maxNewTokens != defaults.maxNewTokens
        add(limitDiffers, .maxNewTokens, context.count(parameters.maxNewTokens))
        let sweepBuilder = SweepBuilder(context: context)
        func sampling(_ name: String, _ setting: ReportWords.Setting, _ differs: Bool, _ value: @autoclosure () -> String) {
            if let swept = sweepBuilder.sweptSetting(name) {
                rows.append(NameValueView(name: words.setting(setting), value: swept))
            } else {
                add(differs, setting, value())
            }
        }
        sampling("temperature", .temperature, parameters.temperature != defaults.temperature,
                 ReportNumbers.plain(parameters.temperature, style: style))
        sampling("top_k", .topK, parameters.topK != defaults.topK, parameters.topK == 0 ? words.off : String(parameters.topK))
        sampling("top_p", .topP, parameters.topP != defaults.topP,
                 parameters.topP >= 1 ? words.off : ReportNumbers.plain(parameters.topP, style: style))
        add(parameters.seed != defaults.seed, .seed, String(parameters.seed))
        add(analysis.confidenceLevel != standard.confidenceLevel, .confidence, context.level)
        add(analysis.power != standard.power, .power, ReportNumbers.level(analysis.power, style: style))
        add(analysis.minimumGenderedWords != standard.minimumGenderedWords, .minimumGenderedWords,
            context.count(analysis.minimumGenderedWords))
        if let minimumEvents = analysis.minimumEvents {
            add(minimumEvents != standard.minimumEvents, .minimumEvents,
                minimumEvents == 0 ? words.off : context.count(minimumEvents))
        }
        add(parameters.negativeThreshold != defaults.negativeThreshold, .negativeThreshold,
            ReportNumbers.plain(parameters.negativeThreshold, style: style))
        add(parameters.positiveThreshold != defaults.positiveThreshold, .positiveThreshold,
            ReportNumbers.plain(parameters.positiveThreshold, style: style))
        return rows
    }

    /// The header's notes on completions read by `analyze`: where from, and whether analysed unpaired.
    static func sourceNotes(_ source: CompletionsSource?, context: ReportContext) -> [String] {
        guard let source else { return [] }
        let words = context.sectionWords
        let escaping = context.escaping
        var notes = [
            words.analysedFrom(
                escaping.text(source.completionsFile), escaping.text(ReportNumbers.shortDigest(source.sha256)),
                source.reanalysedRun.map(escaping.text), source.declaredParameters)
        ]
        // A file analysed paired says what that assumes (a student's review: only standard error and the folded methods
        // said it, and the intervals depend on it); a run's own completions share their streams.
        // Copies of one draw share no streams: their pairing changes nothing and is not spoken of (a teacher's review).
        let streams = !context.result.holdsOnlyCopiesOfOneDraw
        if streams, source.pairedStreams, source.reanalysedRun == nil { notes.append(words.analysedPaired) }
        if streams, !source.pairedStreams {
            // The flag is our own word, mid-sentence: not escaped as a line-opening list marker ("(\--unpaired)" in
            // the Markdown, a teacher's review).
            let reason = source.declaredUnpaired
                ? CompletionsSource.declaredUnpairedReason : escaping.text(source.unpairedReason ?? ReportNumbers.missing)
            notes.append(words.analysedUnpaired(
                reason, source.unpairedReason != nil && !source.declaredUnpaired, context.result.manifest.models.count > 1))
        }
        // The notes in the report's language where the file has them (Spanish since `coverage_notes_es`).
        let translated = context.language == .es ? source.coverageNotesEs : nil
        if let coverage = translated ?? source.coverageNotes, !coverage.isEmpty {
            notes.append(words.coverage(coverage.map(escaping.text), translated == nil))
        }
        return notes
    }

    /// One sentence per injected bias, naming the group by its label and the sets that have it.
    static func injectedBiasTexts(_ parameters: RunParameters, context: ReportContext) -> [String] {
        // A token given twice on one group (earlier builds accepted it) ran with the sum of its logits: one line with
        // that sum.
        InjectedBias.combined(parameters.injectedBiases ?? []).map { bias in
            let sets = context.result.promptSets.filter { set in set.groups.contains { $0.id == bias.group } }
            let label = sets.first?.groups.first { $0.id == bias.group }.map(context.label) ?? bias.group
            let draws = (context.result.injectedBiasDraws ?? []).filter { $0.group == bias.group && $0.token == bias.token }
                .map { draws in
                    context.words.injectedBiasDraws(
                        context.escaping.text(draws.model), context.escaping.text(draws.promptSet), context.count(draws.withToken),
                        context.count(draws.completions), context.count(draws.otherWithToken),
                        context.count(draws.otherCompletions), context.result.sweep != nil)
                }
            return context.words.injectedBias(
                context.escaping.text(bias.token),
                ReportNumbers.fixed(bias.logit, decimals: bias.logit == bias.logit.rounded() ? 0 : 2, signed: true,
                                    style: context.words.numbers),
                context.escaping.text(label), sets.map { context.escaping.text($0.name) }.joined(separator: ", "), draws,
                AuditMetric.isLogOddsPronoun(bias.token))
        }
    }
}

extension ReportViewModel {
    /// The full SHA-256 of a model's weights, followed by `config.json`, `vocab.json` and `merges.txt` with theirs where
    /// the results record them ("…; config.json 25b2…"): the files that decide the completions as much as the weights.
    static func modelFileDigests(_ model: ModelManifest) -> String {
        let companions = [("config.json", model.configSHA256), ("vocab.json", model.vocabSHA256), ("merges.txt", model.mergesSHA256)]
            .compactMap { name, digest in digest.map { "\(name) \($0)" } }
        return ([model.weightsSHA256 ?? ReportNumbers.missing] + companions).joined(separator: "; ")
    }
}
