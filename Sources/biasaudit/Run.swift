import ArgumentParser
import AuditAnalysis
import AuditResults
import AuditRun
import CommandSupport
import Dispatch
import Foundation
import Generation
import OptionWording
import PromptSets
import Reporting
import Statistics

extension BiasAudit {
    /// `biasaudit run`: the main job.
    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Audit models on prompt sets: sample, score, compare, report.",
            discussion: """
                Samples completions for every prompt of the prompt sets from every model, scores them \
                (VADER sentiment, pronouns and gendered words), estimates each group with a confidence interval \
                (95% unless --confidence), compares \
                groups (tests over terms and shared random streams: t for means, MOVER intervals for rates \
                and shares; Benjamini–Hochberg q-values within \
                each prompt set and model, effect sizes, minimum detectable effects) and models (a joint \
                test of both models' gaps), and writes report.html, report.md, results.json and \
                completions.jsonl.

                Completions are stored as they are made (run.sqlite in the output directory): re-run the \
                same command to resume an interrupted run. A directory made with other settings is refused; \
                an edit of a prompt set that leaves its prompts alone (labels, description, metrics) resumes.

                --sweep PARAM=V1,V2,… (PARAM: temperature, top_k, top_p; repeatable: every combination, the \
                first --sweep varying slowest) audits the same prompts at each setting into the same run \
                store, with the same seed and random streams at every setting (common random numbers, so \
                settings are compared on paired draws). The report and results.json show each primary bias \
                metric against the setting, per model and group, with intervals (the "sweep" section: \
                descriptive, no tests across settings). The main sections, findings and completions.jsonl \
                describe the first setting (each swept parameter at its first value). A swept parameter \
                cannot also be given as its own flag; at most \(AuditRunner.maximumSweepSettings) settings \
                and \(ReportNumbers.count(AuditRunner.maximumSweepCompletions)) completions per run. --sweep \
                cannot be combined with a served model (http(s)://…) or with --shard (exit 64): sweep local \
                models in an unsharded run.

                A model served by vLLM, llama.cpp, TGI, SGLang or Ollama is audited through its OpenAI-compatible \
                completions API: --model LABEL=http://HOST:PORT/v1#SERVED_NAME (several replicas: \
                URL1,URL2#NAME); the API key is read from BIASAUDIT_API_KEY or OPENAI_API_KEY. A server cannot \
                be made to share random numbers between prompts, so the paired design may not hold for it. \
                With --shard I/N the prompts are split among N runs; merge them with `biasaudit merge`.
                """)

        @Argument(help: "Prompt-set YAML files or directories of them (default: every file in PromptSets/).")
        var promptSets: [String] = []

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp(
                "A model to audit (repeat for several): [LABEL=]SPEC, SPEC a Hub id (optionally @revision), a local directory, or an OpenAI-compatible server http(s)://HOST[:PORT]/v1[#SERVED_NAME] (without #SERVED_NAME: the one model GET /v1/models lists), or replicas of one served model URL1,URL2[#SERVED_NAME]; LABEL names it in the report and results.json (default: the Hub id, the directory's name, or the served name). Default: \(AuditRunConfiguration.defaultModels.joined(separator: " and ")).",
                valueName: "model"))
        var model: [String] = []

        @Option(
            name: .long,
            help: ArgumentHelp("Completions per prompt, \(AcceptedRange.between(OptionRange.samples)) "
                + "(default: the prompt set's, else \(AuditRunConfiguration.defaultSamples))."),
            transform: NumericArgument.whole(OptionRange.samples))
        var samples: Int?

        @Option(
            name: .customLong("max-new-tokens"),
            help: ArgumentHelp("Maximum tokens per completion, \(AcceptedRange.between(OptionRange.maxNewTokens)) "
                + "(\(OptionRange.maxNewTokensMeaning); default: the prompt set's, else \(AuditRunConfiguration.defaultMaxNewTokens))."),
            transform: NumericArgument.whole(OptionRange.maxNewTokens))
        var maxNewTokens: Int?

        @OptionGroup var sampling: SamplingOptions
        @OptionGroup var precision: PrecisionOptions

        @Option(
            name: .long, parsing: .singleValue,
            help: ArgumentHelp(
                "Audit at each value of a sampling parameter (repeatable; every combination): temperature, top_k or top_p, e.g. --sweep temperature=0.5,0.7,1.0. Local models only: not with a served model (http(s)://…) nor with --shard.",
                valueName: "param=v1,v2,…"))
        var sweep: [String] = []

        @Option(name: .long, help: "Output directory (default: Reports/<date>-<sets>).")
        var out: String?

        @Option(name: .long, help: runFormatsOptionHelp)
        var format: String = "html,md,json"

        @Option(name: .long, help: templatesOptionHelp)
        var templates: String?

        @Option(name: .long, help: "Language of report.html, report.md and the summary printed at the end: en or es (Spanish).")
        var lang: ReportLanguage = .en

        @Option(
            name: .long,
            help: "Confidence level of every interval, \(AcceptedRange.between(OptionRange.confidence)); "
                + "findings and verdicts need q below 1 − this level.",
            numbers: AcceptedRange.between(OptionRange.confidence),
            example: "\(InferenceSettings.standard.confidence)")
        var confidence: Double = InferenceSettings.standard.confidence

        @Option(
            name: .customLong("min-gendered-words"), parsing: .unconditional,
            help: "Gendered words a group needs before its male share gets an interval, a test or a finding, "
                + "\(AcceptedRange.between(OptionRange.minimumCount)); "
                + "it also needs half that many completions with a gendered word (rounded up: "
                + "\(Int(InferenceSettings.standard.minimumWeightedObservations)) by default).",
            wholeNumbers: OptionRange.minimumCount)
        var minGenderedWords: Int = Int(InferenceSettings.standard.minimumWeight)

        @Option(
            name: .customLong("min-events"), parsing: .unconditional,
            help: "Events (e.g. negative completions) and non-events the two groups of a rate contrast need together before it gets an interval, a test or a finding, "
                + "\(AcceptedRange.between(OptionRange.minimumCount)) (0 is no rule: rare rates get wide, conservative intervals; 10 is Cochran's rule, whose selection makes intervals under a real difference too narrow, see docs/statistics.md).",
            wholeNumbers: OptionRange.minimumCount)
        var minEvents: Int = Int(InferenceSettings.standard.minimumEvents)

        @Option(
            name: .customLong("inject-bias"), parsing: .singleValue,
            help: ArgumentHelp(
                "Simulate a biased model to check that the audit detects it: add LOGIT to TOKEN's logit for the prompts of GROUP (repeatable), e.g. 'female_dominated: terrible=8'.",
                valueName: "GROUP:TOKEN=LOGIT"))
        var injectBias: [String] = []

        @OptionGroup var endpoint: EndpointOptions

        @Option(
            name: .long,
            help: ArgumentHelp(
                "Audit only part I of N of the prompts (chosen by prompt id) into --out; `biasaudit merge` combines the N parts. No report is written for a part.",
                valueName: "I/N"))
        var shard: String?

        @OptionGroup var hub: HubOptions

        func validate() throws {
            try EmptyPathOptions.refuseEmpty(promptSets, name: "a prompt set")
            try validateSizes(samples: samples, maxNewTokens: maxNewTokens)
            try OptionRange.check(confidence: confidence, minimumGenderedWords: minGenderedWords, minimumEvents: minEvents)
            try sampling.check(command: "run", hasGreedy: false)
            let arguments = try ModelArgument.validated(model)
            guard arguments.count <= CompletionsAnalyzer.maximumModels else {
                throw ValidationError(
                    "\(arguments.count) models; at most \(CompletionsAnalyzer.maximumModels) are audited together (every pair "
                        + "is compared, and `analyze` re-analyses at most that many); audit them in smaller groups")
            }
            let sweeps = try validatedSweeps(sweep, sampling: sampling, command: "run", hasGreedy: false)
            do {
                try AuditRunner.checkSweepModels(arguments.map(\.spec), sweeps: sweeps)
            } catch let AuditError.usage(message) {
                throw ValidationError(message)
            }
            let settings = sweeps.reduce(1) { $0 * $1.values.count }
            guard settings <= AuditRunner.maximumSweepSettings else {
                throw ValidationError(
                    "--sweep gives \(settings) settings; at most \(AuditRunner.maximumSweepSettings) per run: sweep fewer values")
            }
            try endpoint.validate()
            if !sweep.isEmpty, shard != nil {
                throw ValidationError(
                    "--sweep and --shard cannot be combined yet (merge does not know sweep settings): run the sweep unsharded")
            }
            do {
                _ = try shard.map(RunShard.init(parsing:))
                _ = try ReportFormat.parse(format)
                _ = try injectedBiases()
            } catch let AuditError.usage(message) {
                throw ValidationError(message)
            }
        }

        func run() async throws {
            // The folder a run without --out writes to, once known: a stop or failure that leaves its run store says how
            // to resume it on another day, when the default folder has another date.
            var defaultFolder: URL?
            try await reportingErrors(stopped: { _, _, error in
                // A stop, a full disk, a failing server: the ways on that rerun the command (not a folder of another run).
                let resumable = switch error as? AuditError {
                case .interrupted, .io, .modelUnavailable: true
                default: false
                }
                if resumable, let folder = defaultFolder, AuditError.holdsRunStore(folder.path) {
                    StandardStreams.writeError("biasaudit: note: \(Self.anotherDayNote(folder))\n")
                }
            }) {
                if let note = decimalCommaNote(sweep) { StandardStreams.writeError(note) }
                let files = try PromptSetFiles.expand(promptSets)
                try PromptSetFiles.refuseRepeats(files)
                PromptSetWarnings.print(for: files)
                let models = model.isEmpty ? AuditRunConfiguration.defaultModels : model
                let output = URL(fileURLWithPath: out ?? defaultOutput(files: files))
                if out == nil { defaultFolder = output }
                try OutputFiles.checkFolderTarget(output)
                try InputOverwriteGuard.check(outputFolder: output.path, option: "--out", inputs: files.map(\.path))
                try ForeignOutputGuard.checkRunOutput(output, command: "run")
                if shard == nil { try ReportWriter.checkTargets(in: output, formats: try ReportFormat.parse(format)) }
                // Bad --templates are refused before any model is loaded, not after the whole run.
                try checkTemplates(templates, formats: try ReportFormat.parse(format), language: lang)
                var configuration = AuditRunConfiguration(
                    promptSetFiles: files, models: models, samples: samples, maxNewTokens: maxNewTokens,
                    sampling: sampling.parameters(),
                    analysis: AuditAnalysis.Settings(
                        inference: InferenceSettings(
                            confidence: confidence, power: InferenceSettings.standard.power,
                            minimumWeight: Double(minGenderedWords), minimumEvents: Double(minEvents))),
                    outputDirectory: output,
                    commandLine: commandLine(output: output), injectedBiases: try injectedBiases(),
                    sweeps: try sweep.map(SamplingSweep.init(parsing:)))
                endpoint.apply(to: &configuration)
                configuration.shard = try shard.map(RunShard.init(parsing:))
                configuration.precision = precision.precision
                let cancellation = CancellationFlag()
                let downloads = hub.downloadWatch()
                let signals = installInterruptHandler(cancellation, downloads: downloads, store: output, defaultFolder: out == nil)
                defer { signals.forEach { $0.cancel() } }
                let runner = AuditRunner(
                    configuration: configuration, locator: try hub.locator(reporting: downloads),
                    scorer: try TextScorer.bundled(),
                    progress: hub.quiet ? nil : TerminalProgressBar.standardError(),
                    cancellation: cancellation)
                let outcome = try await runner.run()
                // The output folder stays locked until the last file is written.
                defer { outcome.folderLock?.release() }
                if let part = outcome.shard, let store = outcome.storeURL {
                    print("shard \(part) of the audit is complete in \(TextEscaping.path(store.path))")
                    print("when every shard is done: biasaudit merge SHARD-FOLDERS… --out DIR")
                    return
                }
                // From here a Ctrl-C lets the files be written as one set (``CancellationFlag/Stop/afterTheFiles``).
                let written = try StoppingSignals.writing(
                    cancellation, files: "the results and reports in \(TextEscaping.path(output.path))"
                ) {
                    // The completions are safe in the run store: a failed write says the way on is this --out, not
                    // another (a hostile review: "write elsewhere (--out)" on a full disk would generate everything again).
                    try ReportWriter.write(
                        outcome, formats: try ReportFormat.parse(format),
                        templates: templates.map { URL(fileURLWithPath: $0) }, language: lang, resumable: true)
                }
                printSummary(of: outcome.result, language: lang, quiet: hub.quiet)
                if let sweep = outcome.result.sweep {
                    print(TerminalSummary.sweepNote(sweep, language: lang))
                    print("")
                }
                for file in written {
                    print("wrote \(TextEscaping.path(file.path))")
                }
            }
        }

        private func injectedBiases() throws -> [InjectedBias] {
            let biases = try injectBias.map(InjectedBias.init(parsing:))
            // The same token on the same group twice: the logits would add up while the report lists each (review:
            // `=8` and `=-3` ran at +5 and were reported as +8 and −3).
            var seen: [String: InjectedBias] = [:]
            for bias in biases {
                if let first = seen.updateValue(bias, forKey: bias.group + "\u{0}" + bias.token) {
                    throw AuditError.usage(
                        "--inject-bias names '\(TextEscaping.excerpt(bias.token))' on group '\(TextEscaping.excerpt(bias.group))' "
                            + "twice (\(first.typedLogit) and \(bias.typedLogit)); give it once, with the logit you want")
                }
            }
            return biases
        }

        /// How to resume a run written to the default folder `folder` once the date has changed: the same command then
        /// names another folder and would generate everything again (a hostile review: resumed after midnight, a stopped
        /// run started over in a new folder, its store left behind).
        static func anotherDayNote(_ folder: URL) -> String {
            "without --out the folder is named by today's date; to resume on another day, add "
                + "--out \(TextEscaping.line(ShellQuoting.quote(folder.path))) to the same command"
        }

        /// `Reports/<date>-<set names>`.
        private func defaultOutput(files: [URL]) -> String {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.locale = Locale(identifier: "en_US_POSIX")
            let names = files.map { $0.deletingPathExtension().lastPathComponent }
            let label = promptSets.isEmpty ? "all" : names.prefix(3).joined(separator: "+") + (names.count > 3 ? "+more" : "")
            return "Reports/\(formatter.string(from: Date()))-\(label)"
        }

        /// The command line as recorded in the manifest, with the output directory made explicit so the
        /// recorded command resumes or reproduces this exact run.
        private func commandLine(output: URL) -> [String] {
            var arguments = CommandLine.arguments
            arguments[0] = "biasaudit"
            if out == nil { arguments += ["--out", output.path] }
            return arguments
        }

        /// Ctrl-C stops after the batch in flight (which is stored); a second Ctrl-C exits at once, with
        /// `_exit`: `exit` ran the atexit handlers and static destructors (oneDNN's among them) under the
        /// generation threads still running, and once crashed with a segmentation fault (exit 139) in review.
        /// What is lost is the batch in flight, as with `kill -9`: the stored batches are committed
        /// transactions of run.sqlite, and the same command resumes from them. SIGTERM (`timeout`, `docker stop`,
        /// a cancelled CI job, which may follow it with SIGKILL within seconds) quits at once the same way, with
        /// exit 143 (128 + 15) and the same resume hint (review: it ended with 143 and no word). SIGHUP (the
        /// terminal or SSH session closed) does the same with exit 129 (a hostile review: 129 and no word); under
        /// `nohup`, which ignores SIGHUP, it stays ignored (``StoppingSignals/handle(_:_:)``).
        /// During a model's download any of them quits at once saying what stays in the cache, as `models pull` does
        /// (``DownloadWatch``): a first Ctrl-C there said "stopping after the current batch" and downloaded on.
        /// Every stop line names the run store (`store`/run.sqlite), as the first Ctrl-C's does (a review: SIGTERM's said
        /// only "the batches stored so far are kept"). After the generation a first stop of any of the three quits at
        /// once while the statistics are computed, waits while the output files are written (then ends with its code),
        /// and quits at once once they are (``AuditRun/CancellationFlag/Stop``).
        private func installInterruptHandler(
            _ cancellation: CancellationFlag, downloads: DownloadWatch, store output: URL, defaultFolder: Bool
        ) -> [DispatchSourceSignal] {
            let echoes = StopEchoes()
            return StoppingSignals.handle { signalNumber, _ in
                if downloads.isDownloading {
                    StoppingSignals.quit(signalNumber, saying: downloads.stoppedLine(StoppingSignals.said(signalNumber)))
                }
                // Before the run store is made (loading the models) there is nothing to resume (a hostile review: an
                // early SIGHUP pointed at a run.sqlite that did not exist).
                let stored = AuditError.holdsRunStore(output.path)
                let resume = AuditError.stopHint(directory: output.path, shownAs: TextEscaping.path(output.path))
                    + (stored && defaultFolder ? " (\(Self.anotherDayNote(output)))" : "")
                let said = StoppingSignals.said(signalNumber)
                // A second stop quits at once, whatever the phase; a copy of the first that arrives with it is the same
                // stop (``CommandSupport/StopEchoes``: `timeout -s INT` signals the command, then its process group).
                let echo = echoes.isEcho(signalNumber)
                let second = cancellation.isCancelled
                let stop = cancellation.cancel(code: signalNumber)
                // A second stop once the files are written says so (it said "quitting" of finished files).
                if second, stop != .nowWithTheFilesWritten, stop != .afterAFailedWrite {
                    if echo { return }
                    StoppingSignals.quit(signalNumber, saying: "biasaudit: quitting; \(resume)")
                }
                switch stop {
                case .beforeGeneration:
                    // Models loading, a server probed, the store opened: no batch to wait for and nothing to lose, so any
                    // stop quits at once (a code review: a probe of a server that never answered kept the run waiting
                    // after "stopping", also when resuming a run whose store was already there).
                    StoppingSignals.quit(signalNumber, saying: "biasaudit: \(said); \(resume)")
                case .afterTheBatch:
                    // SIGTERM and SIGHUP quit at once (the batch in flight is lost, as with kill -9); Ctrl-C waits for it.
                    guard signalNumber == SIGINT else { StoppingSignals.quit(signalNumber, saying: "biasaudit: \(said); \(resume)") }
                    printError("\nbiasaudit: stopping after the current batch (Ctrl-C again to quit at once)…")
                case .now:
                    // Generation is over and no output file is being written: every completion is stored, and the same
                    // command computes the statistics and writes the files from them.
                    StoppingSignals.quit(signalNumber, saying: "biasaudit: \(said) after the generation; every completion is "
                        + "stored in \(TextEscaping.path(output.path))/run.sqlite: run the same command again to finish "
                        + "without generating")
                case .afterTheFiles:
                    // SIGTERM and SIGHUP too: the files take a moment, and quitting between two renames mixed them
                    // (a review: a new results.json beside older reports).
                    printError(StoppingSignals.finishingFilesLine(said, files: "the results and reports"))
                case .nowWithTheFilesWritten:
                    StoppingSignals.quit(signalNumber, saying: StoppingSignals.filesWrittenLine(
                        said, files: "the results and reports in \(TextEscaping.path(output.path))", first: false))
                case .afterAFailedWrite:
                    // The writing failed: its error ends the command at once (exit 74), the files as they were.
                    return
                }
            }
        }
    }
}
