import Foundation
import OptionWording

/// How the next token is chosen from a row of logits.
///
/// The warpers run in the order Hugging Face `generate` applies them: logit bias (added to the raw
/// logits), then temperature, then top-k, then top-p, then a softmax over the surviving tokens.
/// `greedy` ignores every warper except the bias and takes the argmax.
public struct SamplingParameters: Sendable, Codable, Equatable {
    /// Divides the logits before top-k and top-p (`TemperatureLogitsWarper`); must be finite and > 0.
    public var temperature: Float
    /// Keeps the tokens whose warped logit is at least the k-th largest (ties at the threshold stay);
    /// 0 turns top-k off, as does any k not smaller than the vocabulary.
    public var topK: Int
    /// Keeps the smallest head of the distribution whose mass reaches `topP` (`TopPLogitsWarper`);
    /// 1 turns top-p off and 0 keeps exactly the most probable token.
    public var topP: Float
    /// Takes the argmax (the lowest id among equal maxima) instead of sampling.
    public var greedy: Bool
    /// The run seed from which the random streams are derived.
    public var seed: UInt64
    /// Added to the raw logit of each listed token id before any warper (a large negative value bans it).
    public var logitBias: [Int: Float]

    /// Creates sampling parameters; the defaults are plain sampling from the full softmax.
    /// - Parameters:
    ///   - temperature: logit divisor, finite and > 0.
    ///   - topK: top-k size, 0 for off.
    ///   - topP: nucleus mass in [0, 1], 1 for off.
    ///   - greedy: argmax decoding instead of sampling.
    ///   - seed: the run seed.
    ///   - logitBias: additive bias per token id.
    public init(
        temperature: Float = 1, topK: Int = 0, topP: Float = 1, greedy: Bool = false, seed: UInt64 = 0,
        logitBias: [Int: Float] = [:]
    ) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
        self.greedy = greedy
        self.seed = seed
        self.logitBias = logitBias
    }

    /// The smallest temperature accepted. Dividing logits (magnitude ~10–100) by less could overflow Float;
    /// at 0.01 the most probable token already takes practically all the mass, which `--greedy` does exactly.
    public static let minimumTemperature: Float = 0.01
    /// The top-k values accepted: 0 (off) or a count of tokens.
    public static let topKRange = 0...Int.max
    /// The top-p values accepted: 0 to 1, where 1 turns it off.
    public static let topPRange: ClosedRange<Double> = 0...1

    /// The temperatures accepted, as the help, the refusal of a value outside them and the refusal of a value that is
    /// no number say it: "at least 0.01 and within single precision, up to about 3.4e+38". The upper end is where a
    /// Double stops rounding to a finite Float: 3.4028235677973366e+38 is refused, 3.40282356e+38 (above Float's largest,
    /// 3.4028235e+38, which the refusal used to name as the bound) is accepted. No temperature near it means anything, so
    /// it is said roughly, but said (a hostile review: "finite" misread 1e39, which is finite but beyond a Float).
    public static let acceptedTemperatures = "at least \(minimumTemperature) and within single precision, up to about "
        + String(format: "%.1e", Double(Float.greatestFiniteMagnitude))
    /// The temperatures accepted, as the help says it: the lower bound alone. The upper end, near Float's largest, is
    /// stated in the refusals only (a review: "within single precision, up to about 3.4e+38" filled five commands' help).
    public static let acceptedTemperaturesInHelp = "at least \(minimumTemperature)"
    /// The top-k values accepted, as both refusals say it (its upper end, Int.max, is no bound anyone types).
    public static let acceptedTopK = "0 (off) or a positive integer"
    /// The top-p values accepted, as the help and the refusals say it: "between 0 and 1".
    public static let acceptedTopP = AcceptedRange.between(topPRange)

    /// Checks the ranges the warpers rely on.
    /// - Throws: `SamplingError` naming the command-line flag whose value is out of range.
    public func validate() throws {
        try Self.validate(temperature: Self.asWritten(temperature), topK: topK, topP: Self.asWritten(topP))
    }

    /// A Float as the Double it was written as (0.01, not 0.009999999776…), so that the minimum itself passes.
    public static func asWritten(_ value: Float) -> Double {
        Double(value.description) ?? Double(value)
    }

    /// Checks the ranges on the values as given, before they are rounded to `Float`: a top-p of
    /// 1.0000000000000002 rounds to 1 and a temperature of 0.0099999999 to 0.01, yet neither is in range.
    /// - Throws: `SamplingError` naming the flag whose value is out of range.
    public static func validate(temperature: Double, topK: Int, topP: Double) throws {
        guard temperature.isFinite, Float(temperature).isFinite, temperature >= asWritten(minimumTemperature) else {
            throw SamplingError.invalidTemperature(temperature)
        }
        guard topKRange.contains(topK) else {
            throw SamplingError.invalidTopK(topK)
        }
        guard topPRange.contains(topP) else {
            throw SamplingError.invalidTopP(topP)
        }
    }

    /// Whether top-k filtering does anything for a vocabulary of `vocabularySize` tokens.
    func topKIsActive(vocabularySize: Int) -> Bool {
        topK > 0 && topK < vocabularySize
    }

    /// Whether top-p filtering does anything (Hugging Face only adds the warper for `top_p < 1`).
    var topPIsActive: Bool {
        topP < 1
    }
}

/// An out-of-range sampling parameter.
public enum SamplingError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The temperature is zero, negative, infinite or NaN.
    case invalidTemperature(Double)
    /// top-k is negative.
    case invalidTopK(Int)
    /// top-p lies outside [0, 1] (or is NaN).
    case invalidTopP(Double)

    /// A message that names the flag, the bad value and the accepted range (each command adds what it
    /// offers instead: `generate` has `--greedy`, `run` and `bench` only sample).
    public var description: String { described(found: foundValue) }

    /// The value refused, as the message shows it.
    public var foundValue: String {
        switch self {
        case .invalidTemperature(let value), .invalidTopP(let value): return Self.shortest(value)
        case .invalidTopK(let value): return "\(value)"
        }
    }

    /// ``description`` with `found` as the value shown: what was typed, where the number read is not (a review:
    /// `--temperature 1e400` said "found inf", a value never typed).
    public func described(found: String) -> String {
        switch self {
        case .invalidTemperature:
            return "--temperature must be \(SamplingParameters.acceptedTemperatures), found \(found)"
        case .invalidTopK:
            return "--top-k must be \(SamplingParameters.acceptedTopK), found \(found)"
        case .invalidTopP:
            return "--top-p must be \(SamplingParameters.acceptedTopP) (1 turns it off), found \(found)"
        }
    }

    /// `value` as written: a `Float` widened to `Double` (0.005 → 0.004999999888…) prints as the `Float` did, and a
    /// whole number as the bounds are, without ".0" ("found 2", not "found 2.0"; ``AcceptedRange/written(_:)``).
    private static func shortest(_ value: Double) -> String {
        if abs(value) < 1e15, value == value.rounded() { return AcceptedRange.written(value) }
        let single = Float(value)
        return Double(single) == value ? "\(single)" : "\(value)"
    }

    /// The same message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
