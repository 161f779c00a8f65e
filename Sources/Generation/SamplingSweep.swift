import Foundation
import OptionWording

/// One parameter of `--sweep PARAM=V1,V2,…` (`generate` and `run`) and its values.
///
/// A sweep's settings are every combination of the sweeps' values applied to a base setting
/// (``grid(_:base:)``); the seed is the same at every setting, so sample i of a prompt uses the same
/// random stream at each setting (common random numbers: differences between settings are paired).
public struct SamplingSweep: Equatable, Sendable {
    /// A parameter that can be swept.
    public enum Parameter: String, CaseIterable, Sendable {
        case temperature
        case topK = "top_k"
        case topP = "top_p"

        /// The flag that sets the parameter alone.
        public var flag: String {
            switch self {
            case .temperature: return "--temperature"
            case .topK: return "--top-k"
            case .topP: return "--top-p"
            }
        }

        /// The parameter's value in `parameters`, as a number.
        public func value(in parameters: SamplingParameters) -> Double {
            switch self {
            case .temperature: return Double("\(parameters.temperature)") ?? Double(parameters.temperature)
            case .topK: return Double(parameters.topK)
            case .topP: return Double("\(parameters.topP)") ?? Double(parameters.topP)
            }
        }
    }

    /// A `--sweep` value that cannot be read.
    public struct ParseError: Error, CustomStringConvertible {
        /// What kind of fault it is.
        public enum Kind: Sendable {
            /// Not `PARAM=V1,V2,…` with a known parameter.
            case notASweep
            /// A value that is not a number (a whole number for top_k), or a top_k beyond ``SamplingSweep/largestTopK``.
            case badValue
            /// A value listed twice (or two that round to one single-precision number).
            case repeatedValue
        }

        /// What kind of fault it is: a command adds advice by kind (a list of decimal commas reads as repeated values).
        public let kind: Kind
        /// What is wrong, naming the `--sweep` value.
        public let description: String
    }

    /// A `--sweep` value that is a number but beyond single precision (`temperature=1e39`, `top_p=-1e400`), refused with
    /// its parameter's range. It carries the ``SamplingError`` so that a command adds what it offers, as it does for a
    /// value inside Float but outside the range (`generate`: "; use --greedy for argmax decoding"; a review found the
    /// hint lost on this path).
    public struct OutOfRange: Error, CustomStringConvertible {
        /// The range refusal of the parameter.
        public let error: SamplingError
        /// The value as shown: as read, or (a number too large for a Double, which reads as infinity) an excerpt of
        /// what was typed, quoted.
        public let found: String

        /// "--sweep: --temperature must be at least 0.01 and …, found 1e+39".
        public var description: String { "--sweep: " + error.described(found: found) }
    }

    /// The longest part of a bad `--sweep` value quoted in a ``ParseError``, in characters.
    public static let excerptLimit = 60

    /// At most ``excerptLimit`` characters of `text` (then `…`), control and format characters shown as
    /// `\u{…}`, so that a message never echoes a long or unprintable value whole.
    static func excerpt(_ text: String) -> String {
        var result = ""
        var count = 0
        for scalar in text.unicodeScalars {
            if count >= excerptLimit { return result + "… (\(text.count) characters)" }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                result += "\\u{\(String(scalar.value, radix: 16))}"
            default:
                result.unicodeScalars.append(scalar)
            }
            count += 1
        }
        return result
    }

    /// The swept parameter.
    public let parameter: Parameter
    /// The values as numbers (top_k's are whole), in the order given.
    public let values: [Double]

    /// Reads `PARAM=V1,V2,…`; `top-k` and `top-p` are accepted for `top_k` and `top_p`.
    /// - Throws: ``ParseError`` for an unknown parameter, a value that is not a number (a whole number
    ///   for top_k), a top_k beyond ``largestTopK`` or a value listed twice; ``OutOfRange`` for a temperature or
    ///   top_p beyond single precision. Other values outside a parameter's range are the caller's to refuse, with
    ///   ``SamplingParameters/validate(temperature:topK:topP:)`` on each value (`validatedSweeps` in the executable).
    public init(parsing text: String) throws {
        let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
        let names = Parameter.allCases.map(\.rawValue).joined(separator: ", ")
        guard parts.count == 2,
            let parameter = Parameter(rawValue: parts[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_"))
        else {
            throw ParseError(kind: .notASweep, description: "--sweep '\(Self.excerpt(text))' is not PARAM=V1,V2,… with PARAM one of \(names)")
        }
        let words = parts[1].split(separator: ",", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var values: [Double] = []
        for word in words {
            if parameter == .topK {
                guard let value = Int(word) else {
                    throw ParseError(kind: .badValue, description: "--sweep \(parameter.rawValue): '\(Self.excerpt(word))' is not a whole number")
                }
                // Held as a Double: whole numbers beyond 2^53 would round (and 2^63 − 1 crashed converting back; a
                // hostile review). Any k above a vocabulary keeps every token, as 0 does.
                guard value.magnitude <= Self.largestTopK else {
                    throw ParseError(kind: .badValue, description: "--sweep top_k: '\(Self.excerpt(word))' is out of range; give at most "
                        + "\(Self.largestTopK) (a k above the vocabulary keeps every token, as 0 does)")
                }
                values.append(Double(value))
            } else {
                // Read as a Double so the range checks see the value as given (1.0000000000000002 is above 1,
                // though it rounds to a Float of 1).
                guard let value = DecimalNumber.read(word) else {
                    throw ParseError(kind: .badValue, description: "--sweep \(parameter.rawValue): '\(Self.excerpt(word))' is not a "
                        + "number in decimal digits")
                }
                // Read as 0, it was refused as "found 0", or counted as a repeat of a 0 typed beside it.
                guard !DecimalNumber.underflows(word, to: value) else {
                    throw ParseError(kind: .badValue, description: "--sweep \(parameter.rawValue): '\(Self.excerpt(word))' is below "
                        + "the smallest floating-point number, and would read as 0")
                }
                // A number beyond Float's range (1e308) was "not a number" (review); NaN is not one.
                guard !value.isNaN else {
                    throw ParseError(kind: .badValue, description: "--sweep \(parameter.rawValue): '\(Self.excerpt(word))' is not a number")
                }
                // Beyond single precision: refused with the parameter's own range, as a value inside Float but outside
                // that range is by the settings' check ("--sweep: --temperature must be at least 0.01 and …, found 1e+39").
                guard value.isFinite, Float(value).isFinite else {
                    let refusal: SamplingError = parameter == .temperature ? .invalidTemperature(value) : .invalidTopP(value)
                    // A number too large for a Double reads as infinity: show what was typed, not "inf" (a review).
                    let spelt = ["inf", "infinity"].contains(word.trimmingCharacters(in: CharacterSet(charactersIn: "+-")).lowercased())
                    let found = value.isInfinite && !spelt ? "'\(Self.excerpt(word))'" : nil
                    throw OutOfRange(error: refusal, found: found ?? refusal.foundValue)
                }
                values.append(value)
            }
        }
        // Compared as the settings take them (Float for temperature and top_p): 0.7 and 0.700000001 are one setting,
        // and were run twice into a results file every reader then refused (a hostile review).
        let settingValues = values.map { parameter == .topK ? $0 : Double(Float($0)) }
        if let repeated = settingValues.first(where: { value in settingValues.filter { $0 == value }.count > 1 }) {
            throw ParseError(kind: .repeatedValue, description: "--sweep \(parameter.rawValue) lists \(Self.format(repeated, parameter)) twice"
                + (Set(values).count == values.count ? " (values that round to the same single-precision number)" : ""))
        }
        self.parameter = parameter
        self.values = values
    }

    /// Every combination of the sweeps' values applied to `base`, the first sweep varying slowest;
    /// `[base]` without sweeps.
    public static func grid(_ sweeps: [SamplingSweep], base: SamplingParameters) -> [SamplingParameters] {
        sweeps.reduce([base]) { settings, sweep in
            settings.flatMap { setting in
                sweep.values.map { value in
                    var next = setting
                    switch sweep.parameter {
                    case .temperature: next.temperature = Float(value)
                    case .topK: next.topK = Int(value)
                    case .topP: next.topP = Float(value)
                    }
                    return next
                }
            }
        }
    }

    /// "temperature 0.7 · top-k 50 · top-p 0.9 · seed 0".
    public static func describe(_ parameters: SamplingParameters) -> String {
        describeSampling(parameters) + " · seed \(parameters.seed)"
    }

    /// "temperature 0.7 · top-k 50 · top-p 0.9" (top-k 0 and top-p 1 are "off").
    public static func describeSampling(_ parameters: SamplingParameters) -> String {
        let topK = parameters.topK == 0 ? "off" : String(parameters.topK)
        let topP = parameters.topP == 1 ? "off" : "\(parameters.topP)"
        return "temperature \(parameters.temperature) · top-k \(topK) · top-p \(topP)"
    }

    /// The largest top_k a sweep takes: 2^53, the largest whole number every Double above it does not skip.
    public static let largestTopK = 1 << 53

    private static func format(_ value: Double, _ parameter: Parameter) -> String {
        parameter == .topK ? String(Int(value)) : "\(Float(value))"
    }
}
