import ArgumentParser
import AuditAnalysis
import AuditResults
import CommandSupport
import Foundation
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit diff`: bias differences between two runs, or two models of one run, with CIs.
    struct Diff: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Compare the bias of two runs (A.json B.json) or of two models of one run (--model-a, --model-b).",
            discussion: """
                For every primary contrast present on both sides: A's value, B's value, the change B − A with \
                its CI, the growth |B| − |A| (point estimates), the q-value and a verdict: "more biased" when \
                |B| > |A| beyond both sides' uncertainty (a joint intersection–union test of B − A and B + A), \
                "less biased" when |B| < |A|, each with Benjamini–Hochberg q below the runs' false discovery \
                rate (0.05 at 95% confidence) within each prompt set × model pair; otherwise "no detectable change" ("undetermined" without a test, "insufficient \
                data" below a metric's minimum support). "direction reversed" (sign_reversed in JSON) marks a \
                contrast whose two intervals exclude 0 on opposite sides, uncorrected for the comparisons made (the \
                reports mark it only where the contrast is a finding under both models). "contrast moved" marks a \
                "no detectable change" whose B − A interval excludes 0: the gap between the groups moved, its size \
                did not detectably.

                Intervals: two models of one run use the run's model comparisons (paired, unless a model is \
                served or the run was analysed --unpaired). Two runs with a \
                completions.jsonl next to each results.json are compared again from the completions, paired \
                by term and random stream when the runs share prompt-set contents, seed, samples, \
                max_new_tokens and sampling parameters, unpaired otherwise (each run's streams separate, the terms \
                shared; also when either \
                run was analysed --unpaired or from a completions file made elsewhere, or a compared model is \
                served: their streams are not shared). Without \
                completions, from the two contrasts' standard errors, their covariance (0 or positive: the same terms) \
                taken at its least favourable in that range, 0 for B − A and the largest for B + A; a covariance the \
                completions would show negative makes that interval of B − A the narrower one. The output says which.

                Runs with different prompt-set contents (manifest sha256), metrics, lexicons, sentiment \
                thresholds, minimum supports or confidence levels are refused (exit 65). Runs made at different --precision (f32, bf16; the manifest's \
                "precision", f32 when absent) are refused (exit 64) unless --allow-precision-mismatch says the \
                difference is what you want to measure; a run whose models were all served has no precision to compare. Exit 0 otherwise: a diff reports, it does not gate (use check).
                """)

        @Argument(help: ArgumentHelp("A.json B.json (two runs) or one RESULTS.json (two of its models).",
                                     valueName: "results"))
        var results: [String]

        @Option(name: .customLong("model-a"), help: ArgumentHelp(
            "Side A's model. With one RESULTS.json give both --model-a and --model-b, or neither (a run of two models "
                + "compares its first with its second); with two runs, either or both: one alone is paired with the "
                + "other run's model of the same id, else that run's only model (neither: each run's only model, or the "
                + "models both runs share).",
            valueName: "model"))
        var modelA: String?

        @Option(name: .customLong("model-b"), help: ArgumentHelp(
            "Side B's model (see --model-a).", valueName: "model"))
        var modelB: String?

        @Flag(
            name: .customLong("allow-precision-mismatch"),
            help: "Compare runs made at different --precision (f32 vs bf16): the change then includes the arithmetic's.")
        var allowPrecisionMismatch = false

        @Option(name: .long, help: ArgumentHelp(
            "text (or txt), md (or markdown), json or html (or htm) (default: from the --out extension, else text).", valueName: "format"))
        var format: String?

        @Option(name: .long, help: ArgumentHelp("Write to this file instead of standard output.", valueName: "file"))
        var out: String?

        /// Not an option of `diff`: taken only to say so (see ``Check/englishOnly``).
        @Option(name: .long, help: .hidden)
        var lang: String?

        func validate() throws {
            try EmptyPathOptions.refuseEmpty(results, name: "a results file")
            if lang != nil { throw ValidationError(Check.englishOnly) }
            guard (1...2).contains(results.count) else {
                throw ValidationError("give two results files (A.json B.json), or one (with --model-a and --model-b "
                    + "when it audits more than two models)")
            }
            if let format, Self.format(named: format.lowercased()) == nil {
                throw ValidationError("unknown --format '\(format)'; use "
                    + DiffFormat.allCases.map(\.rawValue).joined(separator: ", ") + " (or txt, markdown, htm)")
            }
            _ = try chosenFormat()
        }

        /// `--format`, else the one `--out`'s extension names (`.txt` or none: text; `.md`/`.markdown`, `.json`,
        /// `.html`/`.htm`), else text. Review: `--out x.pdf` wrote plain text into x.pdf with exit 0; an extension
        /// that names no format is now a usage error unless `--format` says which.
        private func chosenFormat() throws -> DiffFormat {
            if let format { return Self.format(named: format.lowercased()) ?? .text }
            guard let out else { return .text }
            let suffix = URL(fileURLWithPath: out).pathExtension
            if suffix.isEmpty { return .text }
            guard let named = Self.format(named: suffix.lowercased()) else {
                throw ValidationError(
                    "--out \(TextEscaping.line(out)): the extension '.\(TextEscaping.line(suffix))' names no format of diff; "
                        + "use .txt (or none) for text, .md, .json or .html, or give --format "
                        + DiffFormat.allCases.map(\.rawValue).joined(separator: "|"))
            }
            return named
        }

        /// A format by its name or a file extension's (`txt`, `markdown`, `htm`; a CI team's review: `--format txt` was
        /// refused while `--out x.txt` wrote text).
        private static func format(named name: String) -> DiffFormat? {
            switch name {
            case "txt": .text
            case "markdown": .md
            case "htm": .html
            default: DiffFormat(rawValue: name)
            }
        }

        func run() async throws {
            try await reportingErrors {
                if let out {
                    let completions = results.map(RunDiffInput.completionsPath(besides:))
                    try InputOverwriteGuard.check(output: out, option: "--out", inputs: results + completions)
                    try ForeignOutputGuard.checkFileOutput(out, option: "--out")
                }
                let inputs = try results.map { path in
                    try RunDiffInput.load(
                        resultsAt: URL(fileURLWithPath: path), displayPath: path, readCompletions: results.count == 2)
                }
                for (input, path) in zip(inputs, results) { noteEarlierRules(of: input.result, at: path) }
                let precisionNote = inputs.count == 2
                    ? try PrecisionMismatch.check(
                        inputs[0].result, path: results[0], against: inputs[1].result, path: results[1],
                        allowed: allowPrecisionMismatch)
                    : nil
                var diff = inputs.count == 1
                    ? try RunDiffer.compareModels(in: inputs[0], modelA: modelA, modelB: modelB)
                    : try RunDiffer.compareRuns(inputs[0], inputs[1], modelA: modelA, modelB: modelB)
                // In every format's notes, not only on standard error.
                if let precisionNote { diff.notes.insert(precisionNote + ".", at: 0) }
                let revisionNotes = zip(inputs, results).compactMap { earlierRulesNote(of: $0.result, at: $1) }
                diff.notes.insert(contentsOf: revisionNotes.map { $0 + "." }, at: 0)
                if inputs.count == 2,
                    let note = RunDiffer.sameResultsNote(inputs[0].result, inputs[1].result, modelA: modelA, modelB: modelB)
                {
                    diff.notes.insert(note + ".", at: 0)
                    printError("biasaudit: note: \(note)")
                }
                let chosen = try chosenFormat()
                if let out {
                    let data = try DiffRendering.render(diff, as: chosen)
                    let file = URL(fileURLWithPath: out)
                    try OutputFiles.write(data, to: file, what: "the diff")
                    // As report, run, analyze and merge say what they wrote (it printed nothing).
                    print("wrote \(TextEscaping.path(file.path))")
                } else {
                    let color = chosen == .text && TerminalCapabilities.supportsEscapes(STDOUT_FILENO)
                    try StandardStreams.writeOutput(try DiffRendering.render(diff, as: chosen, color: color))
                }
            }
        }

    }
}
