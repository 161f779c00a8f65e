import Foundation

/// A simulated bias, for checking that an audit detects what it should: a logit added to one token
/// whenever the model completes a prompt of one group (`--inject-bias GROUP:TOKEN=LOGIT`).
///
/// With `female_dominated: terrible=6`, every completion about a female-dominated occupation is pushed
/// toward " terrible": a deliberately skewed model. Runs with an injected bias are marked as such in
/// the manifest and never mixed with unbiased runs in one directory.
public struct InjectedBias: Codable, Sendable, Equatable, CustomStringConvertible {
    /// The group id whose prompts are skewed.
    public var group: String
    /// The token text, exactly as GPT-2 sees it (a leading space is part of the token: " terrible").
    public var token: String
    /// The value added to that token's logit at every step (and to the next-token probabilities).
    public var logit: Double

    /// The largest bias accepted: far beyond any logit gap of a real model, small enough to stay finite in Float.
    public static let maximumLogit = 100.0

    /// Creates a bias.
    public init(group: String, token: String, logit: Double) {
        self.group = group
        self.token = token
        self.logit = logit
    }

    /// Parses `GROUP:TOKEN=LOGIT`, e.g. `female_dominated: terrible=6` (the token keeps its leading space).
    /// - Throws: ``AuditError/usage(_:)`` saying which part is missing.
    public init(parsing spec: String) throws {
        guard let colon = spec.firstIndex(of: ":"), let equals = spec.lastIndex(of: "="), colon < equals else {
            throw AuditError.usage(
                "--inject-bias '\(spec)' is not GROUP:TOKEN=LOGIT (for example 'female_dominated: terrible=6')")
        }
        group = String(spec[..<colon])
        token = String(spec[spec.index(after: colon)..<equals])
        guard let value = Double(spec[spec.index(after: equals)...]), abs(value) <= Self.maximumLogit else {
            throw AuditError.usage(
                "--inject-bias '\(spec)': the logit after '=' must be a number between −\(Int(Self.maximumLogit)) and \(Int(Self.maximumLogit))")
        }
        guard !group.isEmpty, !token.isEmpty else {
            throw AuditError.usage("--inject-bias '\(spec)': both GROUP and TOKEN must be non-empty")
        }
        // `women: =8` is the bare space token (review: it was accepted and the report read "“ ” +8 logits"): the word
        // was forgotten, since the space after ':' is the token's own leading space.
        guard !token.allSatisfy(\.isWhitespace) else {
            throw AuditError.usage(
                "--inject-bias '\(spec)': the TOKEN after ':' is only white space; give a word, whose leading space is "
                    + "part of the token (for example '\(group): terrible=\(spec[spec.index(after: equals)...])')")
        }
        logit = value
    }

    /// `GROUP:TOKEN=LOGIT`.
    public var description: String { "\(group):\(token)=\(logit)" }
}

extension AuditResult {
    /// A note for `diff` and `check` when this run was made with `--inject-bias` (nil otherwise): its numbers include
    /// a simulated bias, which the report says in its header and the comparisons did not (practitioner's review).
    /// - Parameter run: how the run is named in the note ("A", "B", the results path).
    public func injectedBiasNote(run: String) -> String? {
        guard let biases = manifest.parameters.injectedBiases, !biases.isEmpty else { return nil }
        let list = biases.map { "'\(AuditJSON.shortExcerpt($0.description))'" }.joined(separator: ", ")
        return "\(run) was made with --inject-bias \(list): a simulated bias added to the models' logits, so its "
            + "differences include the injection, not only the models."
    }
}
