import ArgumentParser
import GPT2
import AuditResults
import AuditRun
import CommandSupport
import Generation
import Hub
import PromptSets
import Reporting

/// `--lang en|es` of `run`, `analyze`, `merge` and `report`: a language tag as users type it ("ES", "es-MX" are
/// Spanish; ``ReportLanguage/init(tag:)``).
extension ReportLanguage: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(tag: argument)
    }
}

/// `--templates DIR` of the commands that write reports (`run`, `analyze`, `merge`, `report`).
let templatesOptionHelp = ArgumentHelp(
    "Render with your own Mustache templates (a copy of Templates/) laid over the bundled ones. With --lang es they are "
        + "read from DIR/es/ (es/report.md.mustache etc.), not DIR/; the stylesheet DIR/partials/html-style.mustache "
        + "serves both languages.",
    valueName: "DIR")

/// `--format` of the commands that write a run's files (`run`, `analyze`, `merge`).
let runFormatsOptionHelp = ArgumentHelp(
    "Reports to write: html, md or both, comma-separated (results.json and completions.jsonl are always written, so json "
        + "adds nothing; it is accepted for scripts that list it).")

/// `--model` for the commands that use one model.
struct ModelOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "[LABEL=]SPEC: a Hub id (distilgpt2, gpt2, org/name, optionally @revision), a local directory with config.json, model.safetensors, vocab.json and merges.txt, or an OpenAI-compatible server http(s)://HOST[:PORT]/v1[#SERVED_NAME] (replicas: URL1,URL2[#SERVED_NAME]; without #SERVED_NAME, the one model GET /v1/models lists); LABEL names the model in messages.",
            valueName: "model"))
    var model: String

    @OptionGroup var hub: HubOptions

    /// The model's label and spec; without a label, messages name the model by its spec as given (there is
    /// no title or legend a full path could crowd).
    /// - Throws: `ValidationError` (exit 64) for a bad label.
    func argument() throws -> ModelArgument {
        try ModelArgument.namedBySpec([model])[0]
    }

    func validate() throws {
        _ = try argument()
    }
}

extension ModelArgument {
    /// ``labelled(_:)`` with its usage errors as `ValidationError` (exit 64).
    static func validated(_ values: [String]) throws -> [ModelArgument] {
        do {
            return try labelled(values)
        } catch let AuditError.usage(message) {
            throw ValidationError(message)
        }
    }

    /// ``validated(_:)`` for the commands that print rather than report (generate, next-token, bench):
    /// without a label a model is named by its spec as given, since there is no title or legend a full
    /// path could crowd.
    static func namedBySpec(_ values: [String]) throws -> [ModelArgument] {
        try validated(values).map {
            if $0.hasExplicitLabel { return $0 }
            // The whole spec names the model here, so it is held to what a label is, as labelled(_:) holds
            // the short name (a parent folder may hold an ESC that the last component does not).
            if let refusal = derivedNameRefusal($0.spec, name: $0.spec, allowingSpaceLookalikes: true) {
                throw ValidationError(refusal)
            }
            return ModelArgument(label: $0.spec, spec: $0.spec, hasExplicitLabel: false)
        }
    }
}

/// How models are fetched from the Hugging Face Hub.
struct HubOptions: ParsableArguments {
    @Flag(name: .long, help: "Use only the local cache (same as HF_HUB_OFFLINE=1).")
    var offline = false

    @Flag(name: .long, help: """
        No progress on standard error: no download progress, no generation progress (`run`, `generate` on a \
        terminal, `bench`'s line before each timed run), and under `run` no note on sets sampled with fewer samples than the statistics were validated with, 6 (the report keeps it). \
        Errors and warnings still print.
        """)
    var quiet = false
}

/// The sampling settings shared by `run`, `generate` and `bench`. Defaults are the seed notebook's.
struct SamplingOptions: ParsableArguments {
    // Optional, so that a command can tell a flag given from its default (`generate --greedy --temperature 0.5`
    // is refused, as is a flag also swept), and read as Double, so that the range checks see the value as given
    // (`--top-p 1.0000000000000002` rounds to a Float of 1).
    @Option(
        name: .customLong("temperature"),
        help: ArgumentHelp("Softmax temperature, \(SamplingParameters.acceptedTemperaturesInHelp) "
            + "(default: \(AuditRunConfiguration.defaultSampling.temperature))."),
        transform: NumericArgument.temperature)
    var temperatureGiven: Double?

    @Option(
        name: .customLong("top-k"),
        help: "Keep the k most probable tokens (0 = off; 1 = greedy decoding; default: \(AuditRunConfiguration.defaultSampling.topK)).",
        transform: NumericArgument.topK)
    var topKGiven: Int?

    @Option(
        name: .customLong("top-p"),
        help: ArgumentHelp("Keep the smallest set of tokens whose probability reaches p, \(SamplingParameters.acceptedTopP) "
            + "(1 = off; default: \(AuditRunConfiguration.defaultSampling.topP))."),
        transform: NumericArgument.topP)
    var topPGiven: Double?

    @Option(
        name: .customLong("seed"),
        help: "Seed of every random stream: the same seed gives the same completions (default: \(AuditRunConfiguration.defaultSampling.seed)).",
        transform: NumericArgument.whole(UInt64.min...UInt64.max))
    var seedGiven: UInt64?

    /// The temperature given, or the default.
    var temperature: Float { temperatureGiven.map(Float.init) ?? AuditRunConfiguration.defaultSampling.temperature }
    /// The top-k given, or the default.
    var topK: Int { topKGiven ?? AuditRunConfiguration.defaultSampling.topK }
    /// The top-p given, or the default.
    var topP: Float { topPGiven.map(Float.init) ?? AuditRunConfiguration.defaultSampling.topP }
    /// The seed given, or the default.
    var seed: UInt64 { seedGiven ?? AuditRunConfiguration.defaultSampling.seed }

    /// The sampling warpers given on the command line (`--temperature`, `--top-k`, `--top-p`): what `--greedy` would
    /// ignore and `--sweep` must not set twice. Not `--seed`, which greedy decoding records and a sweep keeps.
    var givenFlags: Set<String> {
        var flags: Set<String> = []
        if temperatureGiven != nil { flags.insert("--temperature") }
        if topKGiven != nil { flags.insert("--top-k") }
        if topPGiven != nil { flags.insert("--top-p") }
        return flags
    }

    func parameters(greedy: Bool = false) -> SamplingParameters {
        SamplingParameters(temperature: temperature, topK: topK, topP: topP, greedy: greedy, seed: seed)
    }

    /// Checks the ranges (not called by the parser itself: each command calls it from its `validate()` so
    /// that a bad temperature's message says what that command accepts).
    /// - Parameter greedy: whether the command has `--greedy` (then `--greedy` is `generate`'s argmax decoding).
    /// - Throws: `ValidationError` (exit 64) naming the flag, the value and what to give instead.
    func check(command: String, hasGreedy: Bool, greedy: Bool = false) throws {
        if greedy, let flag = givenFlags.sorted().first {
            throw ValidationError(
                "--greedy picks the most probable token whatever the temperature, top-k and top-p, so \(flag) would change "
                    + "nothing; drop one of them")
        }
        do {
            try SamplingParameters.validate(
                temperature: temperatureGiven ?? SamplingParameters.asWritten(temperature), topK: topK,
                topP: topPGiven ?? SamplingParameters.asWritten(topP))
        } catch let error as SamplingError {
            throw ValidationError(error.description + Self.hint(for: error, command: command, hasGreedy: hasGreedy))
        }
    }

    /// What a command offers instead of an out-of-range temperature: `--greedy` where there is one, else
    /// what the command accepts (it only samples); empty for the other parameters.
    /// - Parameter swept: whether the temperature came from `--sweep` (then no `--temperature` example).
    static func hint(for error: SamplingError, command: String, hasGreedy: Bool, swept: Bool = false) -> String {
        // Only below the minimum: a temperature beyond single precision is not fixed by --greedy (a review).
        guard case .invalidTemperature(let value) = error, !(value >= SamplingParameters.asWritten(SamplingParameters.minimumTemperature))
        else { return "" }
        if hasGreedy { return "; use --greedy for argmax decoding" }
        // The range is the refusal's own, not said again (a review: "… at least 0.01 …, found 0.00999; run only samples
        // (it has no --greedy): give a temperature of at least 0.01").
        // A teacher's review: the refusal did not say how a run decodes greedily, which the README does (--top-k 1).
        return "; \(command) only samples (it has no --greedy)" + (swept ? "" : ": e.g. --temperature 0.7 (the default)")
            + "; for greedy decoding give --top-k 1 (the most probable token at any temperature)"
    }
}

extension HubOptions {
    /// A model locator configured from the environment (HF_ENDPOINT, HF_TOKEN, HF_HUB_CACHE, HF_HOME,
    /// HF_HUB_OFFLINE) and these flags.
    func locator() throws -> ModelLocator {
        try locator(reporting: TerminalProgress.forStandardError(quiet: quiet))
    }

    /// ``locator()`` reporting download progress to `progress` (a ``DownloadWatch``, for a command that says what a
    /// signal leaves of a download).
    func locator(reporting progress: any DownloadProgress) throws -> ModelLocator {
        var configuration = try HubConfiguration.fromEnvironment()
        if offline { configuration.offline = true }
        return ModelLocator(configuration: configuration, progress: progress, warning: CommandFailure.hubWarning)
    }

    /// ``locator()`` for a command that loads models and then works on (`generate`, `next-token`, `bench`, `tokenize
    /// --model`): a signal during a download says what stays in the cache, as `models pull` does (a hostile review:
    /// they stopped silently); at other times it quits as by default. The handlers are installed only when a model
    /// is fetched from the Hub (``DownloadWatch/quitOnSignalsOnceFetching()``), never for a local folder, and then
    /// live as long as the process: these commands end when their work does.
    func locatorSayingStoppedDownloads() throws -> ModelLocator {
        let downloads = downloadWatch()
        downloads.quitOnSignalsOnceFetching()
        return try locator(reporting: downloads)
    }

    /// A ``DownloadWatch`` around the download progress these flags ask for.
    func downloadWatch() -> DownloadWatch {
        DownloadWatch(reporting: TerminalProgress.forStandardError(quiet: quiet))
    }
}

/// `--precision f32|bf16`.
extension GPT2Precision: ExpressibleByArgument {}

/// `--precision` of `run`, `generate`, `next-token` and `bench`.
struct PrecisionOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "Arithmetic of the matrix products: f32 (exact, matches Hugging Face transformers) or bf16 (weights and product inputs rounded to bfloat16, sums in float32: faster on CPUs with AVX-512 BF16 or AMX, not bit-identical; see docs/performance.md).",
            valueName: "f32|bf16"))
    var precision: GPT2Precision = .f32

    /// Refuses bf16 on a CPU without native bf16 instructions (exit 64), never falling back to f32.
    func validate() throws {
        guard precision == .bf16 else { return }
        let support = GPT2Precision.bf16Support
        guard support.supported else {
            throw ValidationError(GPT2Error.unsupportedPrecision(precision.rawValue, instructionSet: support.instructionSet).description)
        }
    }
}
