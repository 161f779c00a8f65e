import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import PromptSets
import Hub
import Reporting

extension BiasAudit {
    /// `biasaudit merge`: combines the run stores of `run --shard I/N` runs into one audit.
    struct Merge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Combine the run stores of `run --shard I/N` runs into one audit, with reports.",
            discussion: """
                Give the --out folders of the N shard runs (each holds run.sqlite). The shards must be of one \
                audit (the same prompt sets, models and settings), every shard 1/N … N/N must be given once, \
                and each must be complete; otherwise nothing is merged (exit 65, naming the folder). The \
                merged run.sqlite, results.json, completions.jsonl and reports go to --out; the statistics \
                are computed once over all completions, as one `run` would have computed them. The shards' \
                run stores record their prompt-set files, so merge needs neither the files nor the models. \
                The shards' run stores are only read, never changed (read-only copies merge too). A folder \
                whose run.sqlite is not a run store, or is of a `run --sweep` (merge does not combine \
                sweeps; run --sweep cannot be sharded), is refused with exit 65, and so is an --out folder \
                that holds results.json, completions.jsonl, report.html or report.md without run.sqlite \
                (the output of `analyze` or `report`, which the merge would replace).
                """)

        @Argument(help: ArgumentHelp("The --out folders of the shard runs.", valueName: "DIR"))
        var directories: [String] = []

        @Option(name: .long, help: ArgumentHelp("Output directory for the merged audit.", valueName: "DIR"))
        var out: String

        @Option(name: .long, help: runFormatsOptionHelp)
        var format: String = "html,md,json"

        @Option(name: .long, help: templatesOptionHelp)
        var templates: String?

        @Option(name: .long, help: "Language of report.html, report.md and the summary printed at the end: en or es (Spanish).")
        var lang: ReportLanguage = .en

        @Flag(name: .long, help: "No progress on standard error.")
        var quiet = false

        func validate() throws {
            try EmptyPathOptions.refuseEmpty(directories, name: "a shard's folder")
            guard !directories.isEmpty else {
                throw ValidationError("give the --out folders of the shard runs, e.g. biasaudit merge shard-1 shard-2 --out merged")
            }
            do {
                _ = try ReportFormat.parse(format)
            } catch let AuditError.usage(message) {
                throw ValidationError(message)
            }
        }

        func run() async throws {
            try await reportingErrors {
                let output = URL(fileURLWithPath: out)
                try OutputFiles.checkFolderTarget(output)
                try ForeignOutputGuard.checkRunOutput(output, command: "merge")
                // Bad --templates are refused before the shards are read and merged.
                try checkTemplates(templates, formats: try ReportFormat.parse(format), language: lang)
                var arguments = CommandLine.arguments
                arguments[0] = "biasaudit"
                let outcome = try await AuditMerger.merge(
                    directories: directories.map { URL(fileURLWithPath: $0) }, outputDirectory: output,
                    locator: try offlineLocator(), scorer: try TextScorer.bundled(), commandLine: arguments,
                    progress: quiet ? nil : TerminalProgressBar.standardError())
                // The output folder stays locked until the last file is written.
                defer { outcome.folderLock?.release() }
                let formats = try ReportFormat.parse(format)
                let written = try StoppingSignals.writingWhole(into: output) {
                    try ReportWriter.write(
                        outcome, formats: formats, templates: templates.map { URL(fileURLWithPath: $0) }, language: lang)
                }
                printSummary(of: outcome.result, language: lang, quiet: quiet)
                for file in written {
                    print("wrote \(TextEscaping.path(file.path))")
                }
            }
        }

        /// Merging loads no model: a locator that never goes online.
        private func offlineLocator() throws -> ModelLocator {
            var configuration = try HubConfiguration.fromEnvironment()
            configuration.offline = true
            return ModelLocator(configuration: configuration, warning: CommandFailure.hubWarning)
        }
    }
}
