import ArgumentParser
import Generation
import OptionWording
import PromptSets
import Statistics

/// Reads the value of every numeric option, saying which numbers it takes where ArgumentParser alone says only
/// "The value '-1' is invalid for '--seed <seed>'" (a hostile review: `run --seed=-1`, `--seed 18446744073709551616`,
/// `--samples abc`). It is the `transform` of each numeric option declaration, so the message is ArgumentParser's
/// followed by ": give a whole number between 0 and 18446744073709551615"; checks of a value that was read (`--samples 0`)
/// stay in the commands' `validate()`, with their own messages.
///
/// An option read through a transform has no "(default: …)" in its help from ArgumentParser; the `Option` initialisers
/// below add it, from the property's initial value.
enum NumericArgument {
    /// What a transform throws: the numbers the option takes (ArgumentParser prints it after its own sentence).
    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    /// A whole number of type `T` in `range` is what the option takes; a value that is no `T` (not a whole number,
    /// or beyond `T`'s range) is refused naming `range` as ``AcceptedRange`` writes it, digits ungrouped so that a bound
    /// can be typed back (a review: `bench --audit-completions 1,000,000,000` was refused with "give a whole number
    /// between 1 and 1,000,000,000", what was typed). Values of `T` outside `range` are left to `validate()`.
    static func whole<T: FixedWidthInteger & Sendable>(_ range: ClosedRange<T>) -> @Sendable (String) throws -> T {
        whole(accepted: "a whole number \(AcceptedRange.between(range))")
    }

    /// A whole number of type `T` is what the option takes, `accepted` saying which in the words of its range refusal
    /// ("0 (off) or a positive integer" for `--top-k`, whose upper end, Int.max, no one types).
    static func whole<T: FixedWidthInteger & Sendable>(accepted: String) -> @Sendable (String) throws -> T {
        let refusal = Refusal(description: "give \(accepted)")
        return { text in
            guard let value = T(text) else { throw refusal }
            return value
        }
    }

    /// A number (`accepted` says which, e.g. "between 0.5 and 0.999" from ``AcceptedRange``) is what the option takes; a
    /// value that is not a number is refused saying which, with `example`. Numbers it does not take (`--confidence 2`,
    /// `nan`) are left to `validate()`.
    ///
    /// A number too large for a Double (`1e400`, 400 digits) reads as infinity, and `validate()` refused it "found inf",
    /// a value never typed (a review): it is refused here, where ArgumentParser's sentence quotes what was typed, saying
    /// it is beyond any floating-point number. `inf` and `infinity` as typed are left to `validate()` ("found inf").
    static func number(_ accepted: String, example: String) -> @Sendable (String) throws -> Double {
        { text in
            let refusal = "give a number \(accepted), such as \(example)"
            // Decimal notation only: Double("0x1p-3") is 0.125 (a hostile review).
            guard let value = DecimalNumber.read(text) else { throw Refusal(description: refusal + ", in decimal digits") }
            if value.isInfinite && !isInfinityWord(text) {
                throw Refusal(description: refusal + " (this one is beyond any floating-point number)")
            }
            if DecimalNumber.underflows(text, to: value) {
                throw Refusal(description: refusal + " (this one is below the smallest floating-point number, and would read as 0)")
            }
            return value
        }
    }

    /// Whether `text` is infinity spelt out as Swift reads it ("inf", "-Infinity"), not a number too large to hold.
    static func isInfinityWord(_ text: String) -> Bool {
        let unsigned = text.hasPrefix("-") || text.hasPrefix("+") ? text.dropFirst() : Substring(text)
        return ["inf", "infinity"].contains(unsigned.lowercased())
    }

    /// The transforms of `--temperature`, `--top-k` and `--top-p` (of `run`, `generate`, `bench`, `analyze` and
    /// `next-token`), from the ranges `SamplingParameters.validate` applies.
    static let temperature = number("of \(SamplingParameters.acceptedTemperatures)", example: "0.7")
    static let topK: @Sendable (String) throws -> Int = whole(accepted: SamplingParameters.acceptedTopK)
    static let topP = number(SamplingParameters.acceptedTopP, example: "0.9")

    /// The refusal, from a command's `validate()`, of a value read that the option does not take, saying the value:
    /// "--min-events must be between 0 and 1000000, found -3" (a review: it said the range alone, where `--samples 0`
    /// said "found 0"). `accepted` is an ``AcceptedRange`` phrase, then what the values mean where that helps
    /// ("between 1 and 1024 (GPT-2's context window)"); an option with only a lower bound or a special value says it
    /// in words ("0 (everything) or a positive count").
    static func refusal(_ option: String, mustBe accepted: String, found value: some CustomStringConvertible) -> ValidationError {
        ValidationError("\(option) must be \(accepted), found \(value)")
    }

    /// ``refusal(_:mustBe:found:)`` of a whole number outside `range`: "--samples must be between 1 and 10000, found 0",
    /// then `meaning` in parentheses before ", found" where given.
    static func refusal<T: BinaryInteger>(
        _ option: String, range: ClosedRange<T>, meaning: String? = nil, found value: T
    ) -> ValidationError {
        refusal(option, mustBe: AcceptedRange.between(range) + (meaning.map { " (\($0))" } ?? ""), found: value)
    }

    /// ``refusal(_:mustBe:found:)`` of a number outside `range`: "--confidence must be between 0.5 and 0.999 (e.g.
    /// 0.95), found 2", the value written as the bounds are (a whole number without ".0").
    static func refusal(_ option: String, range: ClosedRange<Double>, meaning: String? = nil, found value: Double) -> ValidationError {
        refusal(option, mustBe: AcceptedRange.between(range) + (meaning.map { " (\($0))" } ?? ""), found: AcceptedRange.written(value))
    }

    /// `text` followed by the default, as ArgumentParser shows it for an option read without a transform.
    fileprivate static func help(_ text: String, default value: some CustomStringConvertible, valueName: String?) -> ArgumentHelp {
        ArgumentHelp("\(text) (default: \(value))", valueName: valueName)
    }
}

/// The values taken by each numeric option that a command's `validate()` judges, stated once: the declaration (its help
/// and its transform's refusal) and `validate()` (its refusal and its check) read the constant, so that what the help
/// says and what is refused cannot drift apart (a review found each range written twice, e.g. `0...1_000_000` in
/// `run`'s declaration of `--min-events` and again in its `validate()`). Ranges of one command alone are its own
/// (`Bench.repeatRange`, `NextToken.topRange`).
enum OptionRange {
    /// `--confidence` of `run` and `analyze`.
    static let confidence: ClosedRange<Double> = 0.5...0.999
    /// `--min-gendered-words` and `--min-events` of `run` and `analyze`.
    static let minimumCount = 0...1_000_000
    /// `--concurrency`: requests in flight at once to each served model.
    static let concurrency = 1...256
    /// `--request-timeout`, in seconds (read as a number: any value from the lower to the upper bound).
    static let requestTimeoutSeconds = 1...3600
    /// `--samples`: completions per prompt, the limit `lint` applies to a prompt set's `defaults` (README, "Limits").
    static let samples = 1...PromptSetLimits.maximumSamples
    /// `--max-new-tokens`: tokens per completion, at most GPT-2's context window.
    static let maxNewTokens = 1...PromptSetLimits.maximumNewTokens
    /// What `--max-new-tokens`' upper bound is, for its help and its refusal.
    static let maxNewTokensMeaning = "GPT-2's context window"

    /// `validate()` of `run` and `analyze`: refuses a `--confidence`, `--min-gendered-words` or `--min-events` given
    /// (nil: not given) outside its range, saying the value ("--min-events must be between 0 and 1000000, found -3").
    static func check(confidence: Double?, minimumGenderedWords: Int?, minimumEvents: Int?) throws {
        if let confidence, !Self.confidence.contains(confidence) {
            throw NumericArgument.refusal(
                "--confidence", range: Self.confidence, meaning: "e.g. \(InferenceSettings.standard.confidence)", found: confidence)
        }
        for (option, value) in [("--min-gendered-words", minimumGenderedWords), ("--min-events", minimumEvents)] {
            if let value, !minimumCount.contains(value) {
                throw NumericArgument.refusal(option, range: minimumCount, found: value)
            }
        }
    }
}

// A numeric option with a default is declared through one of these, so that the "(default: …)" of its help is the value
// the property starts with (`@Option(help: "Samples per prompt.", wholeNumbers: 1...10000) var samples: Int = 50`):
// a review found every default written twice, `help: NumericArgument.help(…, default: 50)` beside `var samples: Int = 50`,
// free to drift apart.
extension Option where Value: FixedWidthInteger & Sendable {
    /// An option read by ``NumericArgument/whole(_:)`` over `range`, whose help is `text` followed by `wrappedValue`
    /// (the property's initial value) as its default.
    init(
        wrappedValue: Value, name: NameSpecification = .long, parsing: SingleValueParsingStrategy = .next, help text: String,
        valueName: String? = nil, wholeNumbers range: ClosedRange<Value>
    ) {
        self.init(
            wrappedValue: wrappedValue, name: name, parsing: parsing,
            help: NumericArgument.help(text, default: wrappedValue, valueName: valueName),
            transform: NumericArgument.whole(range))
    }
}

extension Option where Value == Int {
    /// An option read by ``NumericArgument/whole(accepted:)``, `accepted` saying which whole numbers it takes, whose
    /// help is `text` followed by `wrappedValue` as its default.
    init(
        wrappedValue: Int, name: NameSpecification = .long, parsing: SingleValueParsingStrategy = .next, help text: String,
        valueName: String? = nil, wholeNumbers accepted: String
    ) {
        self.init(
            wrappedValue: wrappedValue, name: name, parsing: parsing,
            help: NumericArgument.help(text, default: wrappedValue, valueName: valueName),
            transform: NumericArgument.whole(accepted: accepted))
    }
}

extension Option where Value == Double {
    /// An option read by ``NumericArgument/number(_:example:)``, whose help is `text` followed by `wrappedValue` (the
    /// property's initial value) as its default.
    init(
        wrappedValue: Double, name: NameSpecification = .long, parsing: SingleValueParsingStrategy = .next, help text: String,
        valueName: String? = nil, numbers accepted: String, example: String
    ) {
        self.init(
            wrappedValue: wrappedValue, name: name, parsing: parsing,
            help: NumericArgument.help(text, default: wrappedValue, valueName: valueName),
            transform: NumericArgument.number(accepted, example: example))
    }
}
