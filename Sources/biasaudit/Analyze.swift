import ArgumentParser
import AuditAnalysis
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import Generation
import InputFiles
import OptionWording
import PromptSets
import Reporting
import Statistics

extension BiasAudit {
    /// `biasaudit analyze`: the scoring, statistics and reports of `run` on completions made anywhere.
    struct Analyze: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Score and analyse completions made anywhere (a notebook, an API, an earlier run).",
            discussion: """
                Reads COMPLETIONS.jsonl, one JSON object per line (LF or CRLF): set, template, group, term \
                (or prompt_id), model, sample_index and text (the continuation only); optional prompt, \
                token_count, stop_reason, next_token_log_odds. Each line must match a prompt of the prompt \
                sets; scores are recomputed from text, and the statistics and reports are those `run` \
                writes. A malformed line, an unknown set, group, template or term, or a repeated \
                (model, prompt, sample_index) is an error naming the line (exit 65).

                Given a RUN_DIR (a `run` output folder), re-analyses its completions.jsonl with the current \
                statistics, keeping the run's prompt sets, models and parameters. A `run --sweep` folder's \
                completions.jsonl holds its base setting only: run its `biasaudit run` command again, from \
                the folder it was first run in (its --out names the run's folder), to recompute every \
                setting from its run.sqlite (nothing is generated again).

                Completions are paired by sample_index: sample i of a template is taken to share its \
                random stream across terms and models, as in biasaudit's runs; a prompt missing some \
                samples keeps the others paired (a note names prompts whose indices differ). With \
                --unpaired (completions sampled independently: a notebook loop, an API), groups are \
                compared without pairing by random stream: source.paired_streams is false, every \
                model_comparisons[].paired is false, and the report's header says "analysed unpaired" and \
                what that means for the intervals; the completions.jsonl of such an analysis (its \
                template_id values carry #unpaired/) is analysed unpaired without it. --temperature, --top-k, \
                --top-p, --seed and --max-new-tokens record how a completions file was sampled \
                (default: the seed notebook's settings) and change no number, except --top-k 1: greedy \
                decoding, under which a prompt's one sample is its one draw, analysed as copies are; a \
                RUN_DIR refuses them (exit 64): it keeps the settings its run recorded.
                """)

        @Argument(help: ArgumentHelp("A completions file, or the output folder of a run.", valueName: "COMPLETIONS.jsonl|RUN_DIR"))
        var input: String

        @Argument(help: "Prompt-set YAML files or directories of them (default: every file in PromptSets/; not with RUN_DIR).")
        var promptSets: [String] = []

        @Option(name: .long, help: ArgumentHelp("Output directory (default: Reports/<date>-<file name>, or RUN_DIR/reanalysis).", valueName: "DIR"))
        var out: String?

        @Option(name: .long, help: runFormatsOptionHelp)
        var format: String = "html,md,json"

        @Option(name: .long, help: templatesOptionHelp)
        var templates: String?

        @Option(name: .long, help: ArgumentHelp(
            "Language of report.html, report.md and the summary printed at the end: en or es (Spanish). Default: for a "
                + "run folder, that of its reports, else en."))
        var lang: ReportLanguage?

        @Option(name: .long, help: "Confidence level of every interval, \(AcceptedRange.between(OptionRange.confidence)) (default: \(InferenceSettings.standard.confidence), or the run's); findings and verdicts need q below 1 − this level.",
            transform: NumericArgument.number(
                AcceptedRange.between(OptionRange.confidence), example: "\(InferenceSettings.standard.confidence)"))
        var confidence: Double?

        @Option(
            name: .customLong("min-gendered-words"), parsing: .unconditional,
            help: ArgumentHelp(
                "Gendered words a group needs before its male share gets an interval, a test or a finding, "
                    + "\(AcceptedRange.between(OptionRange.minimumCount)) ("
                    + "default: \(Int(InferenceSettings.standard.minimumWeight)), or the run's); it also needs half that many "
                    + "completions with a gendered word (rounded up: \(Int(InferenceSettings.standard.minimumWeightedObservations)) "
                    + "by default)."),
            transform: NumericArgument.whole(OptionRange.minimumCount))
        var minGenderedWords: Int?

        @Option(
            name: .customLong("min-events"), parsing: .unconditional,
            help: ArgumentHelp(
                "Events (e.g. negative completions) and non-events the two groups of a rate contrast need together before it gets an interval, a test or a finding, "
                    + "\(AcceptedRange.between(OptionRange.minimumCount)) (default: the run's, or \(Int(InferenceSettings.standard.minimumEvents)) (no rule) for completions and runs analysed without one; see `run --help`)."),
            transform: NumericArgument.whole(OptionRange.minimumCount))
        var minEvents: Int?

        @Flag(name: .long, help: "The completions were sampled independently (no common random numbers): compare groups unpaired.")
        var unpaired = false

        // Optional, so that a run folder (which keeps the settings it was sampled with) can refuse them rather than
        // drop them without a word (hostile tester).
        @Option(name: .long, help: "The temperature a completions file was sampled with (\(SamplingParameters.acceptedTemperaturesInHelp)), as recorded in the manifest (default: \(AuditRunConfiguration.defaultSampling.temperature)).",
            transform: NumericArgument.temperature)
        var temperature: Double?

        @Option(name: .customLong("top-k"), help: "Its top-k (0 = off), as recorded in the manifest (default: \(AuditRunConfiguration.defaultSampling.topK)).",
            transform: NumericArgument.topK)
        var topK: Int?

        @Option(name: .customLong("top-p"), help: "Its top-p, \(SamplingParameters.acceptedTopP) (1 = off), as recorded in the manifest (default: \(AuditRunConfiguration.defaultSampling.topP)).",
            transform: NumericArgument.topP)
        var topP: Double?

        @Option(name: .long, help: "Its seed, as recorded in the manifest (default: \(AuditRunConfiguration.defaultSampling.seed)).",
            transform: NumericArgument.whole(UInt64.min...UInt64.max))
        var seed: UInt64?

        @Option(name: .customLong("max-new-tokens"), help: "Its maximum tokens per completion, \(AcceptedRange.between(OptionRange.maxNewTokens)), as recorded in the manifest (default: \(AuditRunConfiguration.defaultMaxNewTokens)).",
            transform: NumericArgument.whole(OptionRange.maxNewTokens))
        var maxNewTokens: Int?

        /// How the completions were sampled, as the user declares it (the seed notebook's settings where not given).
        private var sampling: SamplingParameters {
            let defaults = AuditRunConfiguration.defaultSampling
            return SamplingParameters(
                temperature: temperature.map(Float.init) ?? defaults.temperature, topK: topK ?? defaults.topK,
                topP: topP.map(Float.init) ?? defaults.topP, seed: seed ?? defaults.seed)
        }

        /// The sampling options given on the command line, as typed (for a run folder, which refuses them).
        private var declaredSampling: [String] {
            [("--temperature", temperature != nil), ("--top-k", topK != nil), ("--top-p", topP != nil), ("--seed", seed != nil),
             ("--max-new-tokens", maxNewTokens != nil)].filter(\.1).map(\.0)
        }

        func validate() throws {
            try EmptyPathOptions.refuseEmpty([input], name: "the completions file or run folder")
            try EmptyPathOptions.refuseEmpty(promptSets, name: "a prompt set")
            try OptionRange.check(confidence: confidence, minimumGenderedWords: minGenderedWords, minimumEvents: minEvents)
            // The limits `run` applies (a hostile review: 2^63 − 1 was written into results.json that `report`, `check`
            // and `diff` then refused as hand-edited).
            try validateSizes(samples: nil, maxNewTokens: maxNewTokens)
            do {
                // As given, before rounding to Float (a hostile review: 0.0099999999 was recorded as 0.01).
                try SamplingParameters.validate(
                    temperature: temperature ?? SamplingParameters.asWritten(sampling.temperature), topK: sampling.topK,
                    topP: topP ?? SamplingParameters.asWritten(sampling.topP))
            } catch {
                throw ValidationError("\(error)")
            }
            do {
                _ = try ReportFormat.parse(format)
            } catch let AuditError.usage(message) {
                throw ValidationError(message)
            }
        }

        func run() async throws {
            try await reportingErrors {
                let request = try configuration()
                // A run folder's analysis is in the language of its reports (a code review: a Spanish class re-analysing
                // its run with another --confidence, as `diff` and `check` advise, got English reports).
                var lang = lang ?? .en
                var inferredFrom: URL?
                if case .run(let folder) = request.input {
                    let inferred = Report.language(
                        given: self.lang, besides: folder.appendingPathComponent(ReportFormat.json.fileName),
                        formats: try ReportFormat.parse(format).sorted())
                    lang = inferred.language
                    if inferred.inferred, lang != .en { inferredFrom = folder }
                }
                // Bad --templates are refused before the analysis, and before a new output folder is made.
                try checkTemplates(templates, formats: try ReportFormat.parse(format), language: lang)
                // A folder in use by another command (a run writing its results there) is refused before the
                // analysis, not overwritten after it; a new folder is locked once made, before it is written.
                let earlyLock = try OutputFolderLock.acquire(request.outputDirectory, option: "--out")
                // Phase notes on a terminal only: a pipe or log keeps what it had (the notes would be its only new lines).
                let progress = TerminalCapabilities.supportsEscapes(STDERR_FILENO) ? TerminalProgressBar.standardError() : nil
                let analysis = try CompletionsAnalyzer.analyze(request, scorer: try TextScorer.bundled(), progress: progress)
                // A run folder's sets are the run's: warned about as `run` warned (a file's sets were, before the analysis).
                if case .run(let folder) = request.input {
                    PromptSetWarnings.print(forRunFolder: folder, sets: analysis.result.manifest.promptSets)
                }
                let folderLock = try earlyLock ?? OutputFolderLock.acquire(creating: analysis.directory, option: "--out")
                defer { folderLock?.release() }
                let formats = try ReportFormat.parse(format)
                // Said once the folder is the command's, and only when a report is written (a review).
                if let inferredFrom, formats.contains(where: { $0 != .json }) {
                    Report.noteInferred(lang, folder: inferredFrom)
                }
                // Nothing written: no empty folder of its own is left (a full disk).
                let written = try OutputFolderLock.removingNewFoldersOnFailure(folderLock) {
                    try StoppingSignals.writingWhole(into: analysis.directory) {
                        try ReportWriter.write(
                            analysis, formats: formats, templates: templates.map { URL(fileURLWithPath: $0) }, language: lang)
                    }
                }
                // How the completions were paired, in the reports' language as the notes below; nothing for copies of one
                // draw, which share no streams (`holdsOnlyCopiesOfOneDraw`).
                if let source = analysis.result.manifest.source, !analysis.result.holdsOnlyCopiesOfOneDraw,
                    let note = TerminalNotes.pairing(source, language: lang)
                {
                    printError("biasaudit: note: \(note)")
                }
                // In the reports' language (a review: a Spanish class read English notes on the terminal beside its
                // Spanish report); results.json keeps both.
                let source = analysis.result.manifest.source
                for note in (lang == .es ? source?.coverageNotesEs : nil) ?? source?.coverageNotes ?? [] {
                    printError("biasaudit: note: \(TextEscaping.line(note))")
                }
                printSummary(of: analysis.result, language: lang)
                for file in written {
                    print("wrote \(TextEscaping.path(file.path))")
                }
            }
        }

        /// The analysis this command line asks for.
        private func configuration() throws -> CompletionsAnalysisConfiguration {
            var isDirectory: ObjCBool = false
            let inputURL = URL(fileURLWithPath: input)
            guard FileManager.default.fileExists(atPath: input, isDirectory: &isDirectory) else {
                // "-" is standard input to many tools; `analyze` reads files only (a hostile review: `python gen.py |
                // biasaudit analyze -` read "no such file").
                if input == "-" {
                    throw AuditError.usage("analyze does not read completions from standard input ('-'); save them to a "
                        + "file first (e.g. python gen.py > completions.jsonl) and give its path")
                }
                // What is there but cannot be reached is said as such, not as a missing file (hostile testers: a link in
                // a loop, a folder that may not be searched, a link to nothing were each "no such file").
                _ = try InputFile.present(
                    inputURL, path: input, what: "the input", remedy: "make it point at a completions file or a run's folder")
                throw AuditError.io(path: input, reason: "no such file or directory; give a completions file or a run's folder")
            }
            let source: CompletionsAnalysisConfiguration.Input
            let defaultOut: String
            if isDirectory.boolValue {
                // Whether DIR is a run's folder first: one that is not was told to drop its PROMPTSET, as if it were one
                // (a hostile review), where `analyze DIR` says what the folder lacks.
                for name in [RunDiffInput.completionsFileName, "results.json"]
                where try !InputFile.present(
                    inputURL.appendingPathComponent(name), path: (input as NSString).appendingPathComponent(name),
                    what: "the run's \(name)")
                {
                    // A run's store without its files: the run was interrupted (or is a shard), not another folder.
                    if FileManager.default.fileExists(atPath: inputURL.appendingPathComponent(AuditRunner.FileName.store).path) {
                        throw AuditError.usage(
                            "\(TextEscaping.path(input)) holds \(AuditRunner.FileName.store) but no \(name): "
                                + "\(AuditJSON.unfinishedRunAdvice), then analyze its folder")
                    }
                    throw AuditError.usage("\(TextEscaping.path(input)) holds no \(name); give the output folder of `biasaudit run`"
                        + (promptSets.isEmpty ? "" : ", or a completions file with its prompt sets (biasaudit analyze "
                            + "COMPLETIONS.jsonl PROMPTSET…)"))
                }
                guard promptSets.isEmpty else {
                    throw AuditError.usage(
                        "a run folder is re-analysed with its own prompt sets; give no PROMPTSET with \(TextEscaping.path(input))")
                }
                guard declaredSampling.isEmpty else {
                    throw AuditError.usage(
                        "a run folder is re-analysed with the settings its completions were sampled with (its manifest); "
                            + "give no \(declaredSampling.joined(separator: ", ")) with \(TextEscaping.path(input)) (they record "
                            + "how a completions file made elsewhere was sampled)")
                }
                source = .run(inputURL)
                defaultOut = inputURL.appendingPathComponent("reanalysis").path
            } else {
                // A FIFO, device or socket is refused here, before anything opens it (a hostile review: a FIFO no one
                // wrote to hung `analyze` for ever, where `report`, `diff` and `check` refuse one at once).
                try InputFile.check(inputURL, path: input, what: "the completions file")
                if let kind = Self.notCompletions(inputURL) { throw AuditError.usage(kind) }
                let files = try PromptSetFiles.expand(promptSets)
                try PromptSetFiles.refuseRepeats(files)
                PromptSetWarnings.print(for: files)
                source = .file(inputURL, promptSetFiles: files)
                defaultOut = defaultOutput(for: inputURL)
            }
            let output = URL(fileURLWithPath: out ?? defaultOut)
            try OutputFiles.checkFolderTarget(output)
            if out == nil, isDirectory.boolValue { try OutputFiles.checkDefaultFolder(output) }
            // The outputs must not replace an input: the completions file, a run's own files, a prompt set.
            let inputs = isDirectory.boolValue
                ? [RunDiffInput.completionsFileName, "results.json"].map { inputURL.appendingPathComponent($0).path }
                : [input] + promptSets
            try InputOverwriteGuard.check(
                outputs: [RunDiffInput.completionsFileName] + (try ReportFormat.parse(format)).map(\.fileName),
                in: output.path, option: out == nil ? "the default output folder" : "--out", inputs: inputs)
            try InputOverwriteGuard.check(outputFolder: output.path, option: "--out", inputs: promptSets)
            try ForeignOutputGuard.checkAnalysisOutput(output, option: out == nil ? "the default output folder" : "--out")
            try ReportWriter.checkTargets(in: output, formats: try ReportFormat.parse(format))
            var arguments = CommandLine.arguments
            arguments[0] = "biasaudit"
            if out == nil { arguments += ["--out", output.path] }
            return CompletionsAnalysisConfiguration(
                input: source, outputDirectory: output, confidence: confidence, minimumGenderedWords: minGenderedWords,
                minimumEvents: minEvents,
                sampling: sampling,
                maxNewTokens: maxNewTokens ?? AuditRunConfiguration.defaultMaxNewTokens, unpaired: unpaired, commandLine: arguments)
        }

        /// `Reports/<date>-<file name without extension>`.
        private func defaultOutput(for file: URL) -> String {
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd"
            formatter.locale = Locale(identifier: "en_US_POSIX")
            return "Reports/\(formatter.string(from: Date()))-\(file.deletingPathExtension().lastPathComponent)"
        }
    }
}

extension BiasAudit.Analyze {
    /// What a file given as the completions is instead, with what to give (a final review: a results.json said "not a
    /// completion line … is the file truncated?", and a prompt set "is the file CSV?"); nil when it may be completions.
    /// Read from the file's first 64 KiB: a results file is one JSON object that opens with `manifest` (or holds
    /// `schema_version` and `manifest` there); a
    /// prompt set or a policy is YAML with their top-level keys; a binary file is what ``InputFile/foreignFormat(of:)``
    /// says.
    /// Read with ``BoundedFile/readHead(_:count:)``, which refuses what is not a regular file before reading (and opens
    /// without blocking on a FIFO): nil then, the reader of the completions says why.
    static func notCompletions(_ url: URL) -> String? {
        guard let data = try? BoundedFile.readHead(url.path, count: 65_536) else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let path = TextEscaping.path(url.path)
        let firstLine = text.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? ""
        // A run's store (a review: `run.sqlite`, whose schema has a line `groups…`, was called a prompt set).
        if let kind = InputFile.foreignFormat(of: data) {
            let folder = TextEscaping.path(url.deletingLastPathComponent().path)
            return "\(path) is \(kind), not completions; give a run's folder (biasaudit analyze \(folder)) or a "
                + "completions file (JSON Lines) and its prompt sets"
        }
        // biasaudit writes its keys sorted, so `manifest` opens the object and `schema_version` comes near its end, far
        // beyond 64 KiB in a real run's file (a README review: a 67 KB results.json was "not a completion line … is the
        // file truncated?", exit 65).
        let opensWithManifest = text.dropFirst().drop { $0.isWhitespace }.hasPrefix("\"manifest\"")
        if text.first == "{", !firstLine.contains("\"text\""),
            opensWithManifest || (text.contains("\"schema_version\"") && text.contains("\"manifest\""))
        {
            let folder = TextEscaping.path(url.deletingLastPathComponent().path)
            return "\(path) is a biasaudit results file, not completions; give its run's folder (biasaudit analyze "
                + "\(folder)) or the completions.jsonl beside it"
        }
        let keys = Set(text.split(separator: "\n").map { String($0.prefix { $0 != ":" }) })
        if keys.contains("groups") {
            return "\(path) is a prompt set, not completions; give the completions file first, then the prompt set: "
                + "biasaudit analyze COMPLETIONS.jsonl \(path)"
        }
        if keys.contains("rules") {
            return "\(path) is a check policy, not completions; give a completions file (JSON Lines) and its prompt sets"
        }
        return nil
    }
}
