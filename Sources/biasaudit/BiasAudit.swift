import ArgumentParser
import AuditResults

/// The root command: lists the subcommands; every subcommand lives in its own file.
@main
struct BiasAudit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "biasaudit",
        abstract: "Audit social bias in what GPT-2-family language models write.",
        discussion: """
            biasaudit runs distilgpt2 and gpt2 in-process on the CPU, samples completions for paired \
            demographic prompts, scores them with a pronoun lexicon and VADER sentiment, and reports \
            group differences with confidence intervals and tests over terms and shared random streams \
            (t tests for means, MOVER intervals for rates and shares), Benjamini–Hochberg q-values within \
            each prompt set and model, effect sizes and minimum detectable effects.

            Exit codes: 0 success, 1 a gate failed (check, lint), 64 usage error, 65 bad input data, \
            69 model unavailable, 70 internal error (a bug), 74 I/O error, 130 interrupted (run and models pull \
            resume), 143 terminated by SIGTERM, 129 by SIGHUP (both resume too).
            """,
        version: BiasAuditVersion.current,
        subcommands: [
            Run.self, Analyze.self, Report.self, Diff.self, Check.self, Lint.self, Generate.self, NextToken.self,
            Tokenize.self, Decode.self, Score.self, Models.self, Bench.self, Merge.self,
        ]
    )
}
