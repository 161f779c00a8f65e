import ArgumentParser

/// Reads the value of every numeric option, saying which numbers it takes where ArgumentParser alone says only
/// "The value '-1' is invalid for '--seed <seed>'" (a hostile review: `run --seed=-1`, `--seed 18446744073709551616`,
/// `--samples abc`). It is the `transform` of each numeric option declaration, so the message is ArgumentParser's
/// followed by ": give a whole number from 0 to 18446744073709551615"; checks of a value that was read (`--samples 0`)
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
    /// or beyond `T`'s range) is refused naming `range`. Values of `T` outside `range` are left to `validate()`.
    static func whole<T: FixedWidthInteger & Sendable>(_ range: ClosedRange<T>) -> @Sendable (String) throws -> T {
        { text in
            guard let value = T(text) else {
                throw Refusal(description: "give a whole number from \(range.lowerBound) to \(range.upperBound)")
            }
            return value
        }
    }

    /// A number (`accepted` says which, e.g. "from 0.5 to 0.999") is what the option takes; a value that is not a number
    /// is refused saying which, with `example`. Numbers it does not take (`--confidence 2`, `nan`) are left to `validate()`.
    static func number(_ accepted: String, example: String) -> @Sendable (String) throws -> Double {
        { text in
            guard let value = Double(text) else { throw Refusal(description: "give a number \(accepted), such as \(example)") }
            return value
        }
    }

    /// The refusal, from a command's `validate()`, of a value read that the option does not take, saying the value:
    /// "--min-events must be between 0 and 1000000, found -3" (a review: it said the range alone, where `--samples 0`
    /// said "found 0").
    static func refusal(_ option: String, mustBe accepted: String, found value: some CustomStringConvertible) -> ValidationError {
        ValidationError("\(option) must be \(accepted), found \(value)")
    }

    /// `text` followed by the default, as ArgumentParser shows it for an option read without a transform.
    fileprivate static func help(_ text: String, default value: some CustomStringConvertible, valueName: String?) -> ArgumentHelp {
        ArgumentHelp("\(text) (default: \(value))", valueName: valueName)
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
            help: NumericArgument.help(text, default: wrappedValue, valueName: valueName), transform: NumericArgument.whole(range))
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
