import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit report`: renders the reports of a saved run again from its `results.json`.
    struct Report: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-render the HTML and Markdown reports of a saved run from its results.json.",
            discussion: """
                Reads RESULTS.json (written by `biasaudit run`) and writes report.html and report.md \
                (and results.json with --format json) into --out, by default the folder of RESULTS.json. \
                No model is loaded. With --lang es the reports are in Spanish (templates from es/); without \
                --lang, in the language of the reports (those it writes first) beside a folder's results.json \
                (a run with --lang es re-renders in Spanish), else English. With \
                --templates DIR, files in DIR replace the bundled templates of the same name (copy the \
                Templates folder and edit it; see Templates/README.md). Each language reads its own files: \
                English DIR/report.md.mustache etc., Spanish (--lang es) DIR/es/report.md.mustache etc.; with \
                --lang es a DIR/report.md.mustache is not used; the stylesheet DIR/partials/html-style.mustache \
                serves both (DIR/es/partials/html-style.mustache replaces it for Spanish). A folder none of whose \
                templates the reports use is noted on standard error.

                Exit codes: 64 wrong usage (an unknown --format or --lang, a missing argument, an --out \
                folder of a run or merge whose results.json is not RESULTS.json, or one holding reports without \
                results.json that this command would leave beside its own), 65 a malformed results file (the message names the key, e.g. \
                prompt_sets[0].groups[1].id) or template (a partial that includes itself or does not exist, nesting past 100 \
                levels), 74 a file that cannot be read or written (permission denied, disk full) or an output \
                folder another biasaudit command is using.
                """)

        @Argument(help: ArgumentHelp("The results file of a run.", valueName: "RESULTS.json"))
        var results: String

        @Option(name: .long, help: "Reports to write: any of html, md, json, comma-separated.")
        var format: String = "html,md"

        @Option(name: .long, help: ArgumentHelp("Output directory (default: the folder of RESULTS.json).", valueName: "DIR"))
        var out: String?

        @Option(name: .long, help: templatesOptionHelp)
        var templates: String?

        @Option(name: .long, help: ArgumentHelp(
            "Language of report.html and report.md: en or es (Spanish). Default: that of the reports beside "
                + "a folder's results.json, else en."))
        var lang: ReportLanguage?

        /// Says on standard error that the reports are in `language`, read from the reports in `folder`.
        static func noteInferred(_ language: ReportLanguage, folder: URL) {
            StandardStreams.writeError("biasaudit: note: " + TextEscaping.line(
                "writing \(language.name) reports, the language of the reports in \(folder.path); give --lang en for "
                    + "English ones") + "\n")
        }

        /// `--lang`, or else the language of the reports beside RESULTS.json when it is its folder's results.json (the
        /// reports of that folder are its reports; a copy renamed beside another run's reports is not read so), first of
        /// the formats to be written, then of the other; or else English. `report` of a `run --lang es` folder
        /// re-rendered it in English (a newcomer's review: a teacher changing `--format` lost the class's Spanish report).
        /// - Returns: the language, and whether it was read from the reports beside RESULTS.json.
        static func language(
            given: ReportLanguage?, besides results: URL, formats: [ReportFormat]
        ) -> (language: ReportLanguage, inferred: Bool) {
            if let given { return (given, false) }
            guard results.lastPathComponent == ReportFormat.json.fileName else { return (.en, false) }
            let folder = results.deletingLastPathComponent()
            let order = formats.filter { $0 != .json } + [ReportFormat.html, .md].filter { !formats.contains($0) }
            let found = order.lazy.compactMap {
                ReportLanguage.ofWrittenReport(at: folder.appendingPathComponent($0.fileName))
            }.first
            return (found ?? .en, found != nil)
        }

        func validate() throws {
            try EmptyPathOptions.refuseEmpty([results], name: "the results file")
            do {
                _ = try ReportFormat.parse(format)
            } catch let AuditError.usage(message) {
                throw ValidationError(message)
            }
        }

        func run() async throws {
            try await reportingErrors {
                let input = URL(fileURLWithPath: results)
                // A file or device at --out is the wrong path (64), refused before the results are read.
                if let out { try OutputFiles.checkFolderTarget(URL(fileURLWithPath: out)) }
                let result = try AuditJSON.loadResult(at: input)
                noteEarlierRules(of: result, at: results)
                let (lang, inferred) = Self.language(
                    given: lang, besides: input, formats: try ReportFormat.parse(format).sorted())
                let directory = out.map { URL(fileURLWithPath: $0) } ?? input.deletingLastPathComponent()
                try InputOverwriteGuard.check(
                    outputs: try ReportFormat.parse(format).map(\.fileName), in: directory.path,
                    option: out == nil ? "the folder of RESULTS.json" : "--out", inputs: [results])
                try ForeignOutputGuard.checkReportOutput(
                    directory, results: input, result: result, formats: try ReportFormat.parse(format),
                    option: out == nil ? "the folder of RESULTS.json" : "--out")
                // Bad --templates are refused before a new output folder is made.
                try checkTemplates(templates, formats: try ReportFormat.parse(format), language: lang)
                // A folder in use by another command (a run writing its results there) is refused, not overwritten.
                let folderLock = try OutputFolderLock.acquire(creating: directory, option: "--out")
                defer { folderLock?.release() }
                let formats = try ReportFormat.parse(format)
                if inferred, lang != .en, formats.contains(where: { $0 != .json }) {
                    Self.noteInferred(lang, folder: input.deletingLastPathComponent())
                }
                // Nothing written: no empty folder of its own is left (a full disk).
                let written = try OutputFolderLock.removingNewFoldersOnFailure(folderLock) {
                    try StoppingSignals.writingWhole(into: directory) {
                        try ReportWriter.write(
                            result, formats: formats, to: directory, templates: templates.map { URL(fileURLWithPath: $0) },
                            language: lang)
                    }
                }
                for file in written {
                    print("wrote \(TextEscaping.path(file.path))")
                }
            }
        }
    }
}
