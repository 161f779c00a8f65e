import ArgumentParser
import AuditAnalysis
import AuditResults
import CommandSupport
import Foundation
import Gate
import PromptSets
import Reporting

extension BiasAudit {
    /// `biasaudit check`: the CI gate. Exit 0 when every policy rule holds, 1 when any fails.
    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Gate audit results on a policy: exit 0 when every rule holds, 1 when any fails.",
            discussion: """
                A policy (YAML) lists rules: max_abs_contrast (|group A − group B| per metric; with \
                only_when_q_below only contrasts whose q-value is below it can fail), max_model_difference \
                (|model B − model A| of a contrast; with only_when_significant only changes whose verdict is \
                "more biased" or "less biased" can fail), max_baseline_growth (fails when a contrast is "more \
                biased" than in --baseline and |B| − |A| exceeds max, and when the results hold less than the \
                baseline: a set, model or contrast, or a contrast on fewer terms or templates) and \
                min_lexicon_coverage. Verdicts are \
                those of the report and of `biasaudit diff`. See PromptSets/policies/ for examples.

                A rule over an estimate below its minimum support (e.g. a male share from a few gendered \
                words) reports "insufficient data" with the counts; a q-gated rule over a contrast without a \
                q-value (a descriptive metric, or no variance estimate) reports "cannot fail with this \
                design". Both are warnings; with --strict they fail the gate. A max equal to the largest value its \
                metric can reach (2 on a sentiment contrast, 1 on a rate), or a min_lexicon_coverage of min: 0, \
                cannot fail: it is said as a warning that fails the gate in no mode.

                Failures are printed as policy.yaml:line:col: error: … (warnings as warning: …) on standard \
                error. With --junit the checks are written as JUnit XML; under GitHub Actions \
                (GITHUB_ACTIONS=true) failures and warnings are also annotations and a summary is appended to \
                $GITHUB_STEP_SUMMARY; so is an error that stops the check (at its line and column in the policy).

                Exit codes: 0 every rule holds, 1 a rule failed (or, with --strict, a warning), 64 usage error \
                (e.g. a growth rule without --baseline, or $GITHUB_STEP_SUMMARY naming something other than a \
                regular file), 65 malformed policy (one without rules included) or results, or a policy naming an \
                axis, set, model or metric the results do not have, 74 a file that cannot be read or written (a --junit \
                file whose folder does not exist is refused before gating). After a failed gate (1) an output that \
                cannot be written is said and the 1 stays; a check that stops before its verdict (64, 65, 74) writes \
                its error as the --junit file's one test case, so that an earlier run's report is not left there.
                """)

        @Argument(help: ArgumentHelp("The results.json of the audit to gate.", valueName: "results"))
        var results: String

        @Option(name: .long, help: ArgumentHelp("The policy file (YAML).", valueName: "file"))
        var policy: String

        @Option(name: .long, help: ArgumentHelp("The results.json of a baseline run, for max_baseline_growth rules "
            + "(with a completions.jsonl next to both, the comparison is recomputed from the completions).",
            valueName: "file"))
        var baseline: String?

        @Option(name: .customLong("model-a"), help: ArgumentHelp(
            "With --baseline: the baseline's model to compare (default: every model both runs audit, or each run's only "
                + "model).", valueName: "model"))
        var modelA: String?

        @Option(name: .customLong("model-b"), help: ArgumentHelp(
            "With --baseline: the model of the gated results to compare with it (a renamed checkpoint).",
            valueName: "model"))
        var modelB: String?

        @Flag(
            name: .customLong("allow-precision-mismatch"),
            help: "With --baseline: compare runs made at different --precision (the growth then includes the arithmetic's).")
        var allowPrecisionMismatch = false

        @Flag(name: .long, help: ArgumentHelp(
            "Fail the gate on warnings too: insufficient data, and rules that cannot fail with this design."))
        var strict = false

        @Option(name: .long, help: ArgumentHelp("Write the checks as JUnit XML to this file.", valueName: "file"))
        var junit: String?

        /// Not an option of `check`: taken only to say so (a class working in Spanish tries it).
        @Option(name: .long, help: .hidden)
        var lang: String?

        func validate() throws {
            try EmptyPathOptions.refuseEmpty([results], name: "the results file")
            if lang != nil { throw ValidationError(Self.englishOnly) }
        }

        /// Why `--lang` is refused by `check` and `diff`.
        static let englishOnly = "check and diff write English only; --lang sets the language of the reports of run, "
            + "merge, analyze and report and of the first three's terminal summaries (drop --lang here)"

        func run() async throws {
            try await reportingErrors {
                // The completions beside RESULTS and the baseline are inputs too (`--baseline` recomputes the comparison from
                // them); none is written to by --junit or the step summary.
                let runs = [results] + (baseline.map { [$0] } ?? [])
                let inputs = runs + [policy] + runs.map(RunDiffInput.completionsPath(besides:))
                if let junit {
                    // `--junit run/completions.jsonl` replaced a run's completions with XML (practitioner's review). A
                    // missing folder is said before gating too (CI review: "gate: passed", then exit 74).
                    // Refused, it is still announced under GitHub Actions, as any stop before the verdict is (a
                    // newcomer's review: `--junit nodir/j.xml` left no annotation and an empty step summary).
                    try await GateOutputs.stoppingBeforeVerdict("check", junit: nil, inputs: inputs) {
                        try GateOutputs.checkJUnitDestination(junit, inputs: inputs, folderMustExist: true)
                    }
                }
                // A policy or results file that stops the gate (65, 64, 74) replaces an earlier --junit file with that
                // error (CI review: the earlier green report was left and uploaded).
                let report = try await GateOutputs.stoppingBeforeVerdict(
                    "check", junit: junit, properties: [("policy", policy), ("results", results)], positionsIn: [policy],
                    inputs: inputs, evaluate)
                for outcome in report.outcomes where report.isFailing(outcome) || outcome.status.isWarning {
                    printError(report.diagnostic(for: outcome))
                }
                print(report.text)
                try GateOutputs.finish(
                    "check", failure: report.holds ? nil : 1, junit: junit,
                    report: { JUnitReport(policy: report, timestamp: Date()) },
                    annotations: CIOutput.annotations(for: report), annotatedBefore: CIOutput.writtenCounts(of: [.warning: report.policyWarnings.count]),
                    summary: { CIOutput.summary(of: report) }, inputs: inputs)
            }
        }

        /// Reads the policy and the results (and the baseline) and evaluates the policy.
        /// The baseline's results; every message says it is the baseline, and a missing file where a first regression
        /// gate gets one (a practitioner's review: "cannot read the results file: no such file" did not say which).
        private static func loadBaseline(_ path: String, readCompletions: Bool = true) throws -> RunDiffInput {
            let url = URL(fileURLWithPath: path)
            do {
                return try RunDiffInput.load(
                    resultsAt: url, displayPath: path, readCompletions: readCompletions, what: "the baseline (--baseline)",
                    ifMissing: readCompletions
                        ? "it is the results.json of the run to compare with (in CI, kept from the last run on main, "
                            + "e.g. as an artifact); check the path, or, until there is one, gate without --baseline on a "
                            + "policy without max_baseline_growth rules (docs/ci.md)"
                        // No rule uses it (a code review: told to use a policy without growth rules, which it is).
                        : "no rule of the policy uses it (no max_baseline_growth); check the path, or drop --baseline")
            } catch AuditError.badResults(let place, let reason) {
                // Its content too (a second review: "bad results file: not valid JSON" did not say which of the two).
                throw AuditError.badInput(path: place, reason: "the baseline (--baseline) is not a usable results file: \(reason)")
            }
        }

        /// Whether two paths as given name one file (a hostile review: `r.json` and `./r.json` printed the baseline's
        /// notes twice): the same path once standardized and with symbolic links resolved, or the same file on one device.
        static func sameFile(_ a: String, _ b: String) -> Bool {
            let (first, second) = (URL(fileURLWithPath: a), URL(fileURLWithPath: b))
            if first.standardizedFileURL.resolvingSymlinksInPath().path
                == second.standardizedFileURL.resolvingSymlinksInPath().path
            {
                return true
            }
            var statA = stat(), statB = stat()
            return stat(a, &statA) == 0 && stat(b, &statB) == 0 && statA.st_dev == statB.st_dev && statA.st_ino == statB.st_ino
        }

        private func evaluate() throws -> PolicyReport {
            let policy = try PolicyParser.load(at: URL(fileURLWithPath: self.policy), displayPath: self.policy)
            // Said as soon as the policy is read, so also when the results then stop the check; no exit code changes.
            policy.warnings.forEach { printError($0.diagnostic(in: policy.path)) }
            CIOutput(environment: ProcessInfo.processInfo.environment).annotationLines(CIOutput.annotations(for: policy))
                .forEach { print($0) }
            let candidate = try RunDiffInput.load(
                resultsAt: URL(fileURLWithPath: results), displayPath: results, readCompletions: policy.needsBaseline)
            noteEarlierRules(of: candidate.result, at: results)
            // Notes on how to read the verdict: on standard error, and in the report's step summary, JUnit properties and
            // annotations (a newcomer's review: an injected bias was said on standard error only, and a CI log is rarely read).
            var notes: [String] = []
            // A note on how to read the verdict: on standard error now, and into the outputs with the others.
            func say(_ note: String) {
                notes.append(note)
                printError("biasaudit: note: \(TextEscaping.line(note))")
            }
            if let note = candidate.result.injectedBiasNote(run: results) { say(note) }
            if let note = candidate.result.manifest.fewSamplesNote(run: results) { say(note) }
            // A sweep's findings and contrasts are those of its first setting (a CI team's review: the gate said nothing).
            if let note = candidate.result.sweepNote(run: results, role: "the gate checks", action: "gate it") { say(note) }
            // Refused before the baseline is read; with a baseline, `evaluate` checks the growth rules again
            // against what either run has (a set or model the candidate dropped fails them).
            if baseline == nil || !policy.needsBaseline {
                try PolicyEvaluator.validate(policy, against: candidate.result, resultsPath: results)
            }
            var diff: RunDiff?
            var baselineResult: AuditResult?
            var leftOutByPairing: [String] = []
            if baseline == nil, modelA != nil || modelB != nil || allowPrecisionMismatch {
                throw AuditError.usage("--model-a, --model-b and --allow-precision-mismatch choose what --baseline is "
                    + "compared with; give --baseline BASELINE.json too")
            }
            if let baseline, policy.needsBaseline {
                let reference = try Self.loadBaseline(baseline)
                noteEarlierRules(of: reference.result, at: baseline)
                // An injected baseline shifts every growth as much as an injected candidate (final review: only
                // the candidate was noted).
                // In the step summary and JUnit too, as the candidate's (a practitioner's review: these four were said
                // on standard error alone).
                if let note = reference.result.injectedBiasNote(run: baseline) {
                    say(note)
                }
                // Not twice for the same file given as both (a final review).
                if !Self.sameFile(baseline, results), let note = reference.result.manifest.fewSamplesNote(run: baseline) {
                    say(note)
                }
                if !Self.sameFile(baseline, results),
                    let note = reference.result.sweepNote(run: baseline, role: "the baseline is", action: "gate against it")
                {
                    say(note)
                }
                if let note = try PrecisionMismatch.check(
                    reference.result, path: baseline, against: candidate.result, path: results,
                    allowed: allowPrecisionMismatch)
                {
                    notes.append(note)
                }
                diff = try RunDiffer.compareRuns(reference, candidate, modelA: modelA, modelB: modelB)
                baselineResult = reference.result
                if let note = RunComparability.settingsNote(
                    reference.result, candidate.result, sides: "the baseline and the results", changes: "the growths judged")
                {
                    say(note)
                }
                if modelA != nil || modelB != nil, let diff {
                    let compared = Set(diff.a.models + diff.b.models)
                    leftOutByPairing = (reference.result.manifest.models + candidate.result.manifest.models).map(\.id)
                        .filter { !compared.contains($0) }.uniqued()
                    // Said, not only used to refuse a rule naming one (a CI team's review: a model of both runs that
                    // grew passed unseen).
                    if let note = RunDiffer.leftOutByPairingNote(
                        diff, baselineModels: reference.result.manifest.models.map(\.id),
                        resultsModels: candidate.result.manifest.models.map(\.id))
                    {
                        say(note)
                    }
                }
                if let note = RunDiffer.sameResultsNote(
                    reference.result, candidate.result, modelA: modelA, modelB: modelB,
                    sides: "the baseline and the results", second: "the baseline")
                {
                    // In the step summary and JUnit too (a CI team's review: a baseline that was a copy of the results
                    // passed green with the note on stderr alone).
                    say(note)
                }
                // In check's words (baseline, results), not diff's A and B (practitioner's review).
                // Not "not compared": a growth rule over such a model fails (a practitioner's review).
                if let dropped = diff?.modelsOnlyInA {
                    let note = "models of the baseline not in the results: \(dropped.joined(separator: ", ")); a "
                        + "max_baseline_growth rule that covers one fails (a candidate does not pass by dropping a model)"
                    say(note)
                }
                if let added = diff?.modelsOnlyInB {
                    let note = "models of the results not in the baseline, not compared: \(added.joined(separator: ", ")) "
                        + "(pair one with a baseline model with --model-a and --model-b)."
                    say(note)
                }
            } else if let baseline {
                // Read all the same: a mistyped or broken baseline is said now (exit 74 or 65, as documented), not the day
                // a growth rule is added (a CI team's review: `--baseline nope.json` passed with exit 0).
                _ = try Self.loadBaseline(baseline, readCompletions: false)
                // In the step summary and JUnit too: a gate that looks like a regression gate and is none.
                let note = "--baseline is ignored: no max_baseline_growth rule in \(TextEscaping.path(policy.path))"
                say(note)
            }
            var report = try PolicyEvaluator.evaluate(
                policy, result: candidate.result, resultsPath: results, baseline: diff, baselineResult: baselineResult,
                leftOutByPairing: leftOutByPairing, strict: strict)
            report.notes = notes
            report.policyWarnings = policy.warnings.map { $0.diagnostic(in: policy.path) }
            return report
        }
    }
}
