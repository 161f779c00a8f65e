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
        // Decimal only: Swift's Double(_:) also reads "0x10" (16), "nan" and "inf" (review: `terrible=0x10` ran as +16).
        let typed = spec[spec.index(after: equals)...]
        guard typed.allSatisfy({ "0123456789+-.eE".contains($0) }), let value = Double(typed), abs(value) <= Self.maximumLogit
        else {
            throw AuditError.usage(
                "--inject-bias '\(spec)': the logit after '=' must be a decimal number between -\(Int(Self.maximumLogit)) and \(Int(Self.maximumLogit))")
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

    /// `GROUP:TOKEN=LOGIT`, the logit as Swift prints a Double (`8.0`): the run store's fingerprint, kept as it is so
    /// that runs resume.
    public var description: String { "\(group):\(token)=\(logit)" }

    /// `GROUP:TOKEN=LOGIT` as a user types it (`terrible=8`, not `8.0`), for messages and notes.
    public var asTyped: String { "\(group):\(token)=\(typedLogit)" }

    /// The logit as a user types it: `8`, `-3`, `8.5`.
    public var typedLogit: String { logit == logit.rounded() && abs(logit) < 1e6 ? String(Int(logit)) : "\(logit)" }

    /// The biases as they acted: one per group and token, in first-seen order, with the logits of a token given twice
    /// on one group added up (as generation adds them; `run` refuses that now, builds before 2026-12-01 accepted it).
    public static func combined(_ biases: [InjectedBias]) -> [InjectedBias] {
        var combined: [InjectedBias] = []
        for bias in biases {
            if let index = combined.firstIndex(where: { $0.group == bias.group && $0.token == bias.token }) {
                combined[index].logit += bias.logit
            } else {
                combined.append(bias)
            }
        }
        return combined
    }
}

extension AuditResult {
    /// A note for `diff` and `check` when this run was made with `--inject-bias` (nil otherwise): its numbers include
    /// a simulated bias, which the report says in its header and the comparisons did not (practitioner's review).
    /// - Parameters:
    ///   - run: how the run is named in the note ("A", "B", the results path).
    ///   - models: the models whose draws are counted (nil: every model): a comparison names only the models it
    ///     compares (practitioner's review: `diff` counted the draws of a model it said it left out).
    public func injectedBiasNote(run: String, models: [String]? = nil) -> String? {
        guard let biases = manifest.parameters.injectedBiases, !biases.isEmpty else { return nil }
        // As the user typed it (`terrible=8`, not the recorded `8.0`; newcomer's review).
        let list = biases.map { "'\(AuditJSON.shortExcerpt($0.asTyped))'" }.joined(separator: ", ")
        // How often the token was drawn (a rarely drawn token changes little: practitioner's review).
        let draws = (injectedBiasDraws ?? []).filter { models?.contains($0.model) ?? true }.map { draws in
            "'\(AuditJSON.shortExcerpt(draws.token))' in \(draws.withToken) of \(draws.completions) completions of "
                + "\(AuditJSON.shortExcerpt(draws.group)) under \(AuditJSON.shortExcerpt(draws.model)) (\(draws.otherWithToken) "
                + "of \(draws.otherCompletions) of the other groups)"
        }
        return "\(run) was made with --inject-bias \(list): a simulated bias added to the models' logits, so its "
            + "differences include the injection, not only the models."
            + (draws.isEmpty ? "" : " Completions holding the token: " + draws.prefix(8).joined(separator: "; ")
                + (draws.count > 8 ? "; … (\(draws.count - 8) more in results.json)" : "") + ".")
    }
}

/// How often an injected token appears in the completions of one model and prompt set (`run --inject-bias`): the
/// bias's group and the set's other groups, each as completions and those whose text holds the token. A logit added
/// at every step changes only the completions where sampling still draws the token; on the second fixture model
/// (`tiny-gpt2-openai-f16`, occupations-gender at its defaults) `terrible=8` put " terrible" in 64 of the group's 240
/// completions, and the gap stayed "no detectable change". These counts
/// tell a missed injection from a missed finding.
public struct InjectedBiasDraws: Codable, Sendable, Equatable {
    /// The bias's group id.
    public var group: String
    /// The token, as injected (its leading space included).
    public var token: String
    /// The model id.
    public var model: String
    /// The prompt set that has the group.
    public var promptSet: String
    /// The group's completions under the model.
    public var completions: Int
    /// Those whose text holds the token.
    public var withToken: Int
    /// The completions of the set's other groups under the model.
    public var otherCompletions: Int
    /// Those whose text holds the token.
    public var otherWithToken: Int

    /// Creates counts.
    public init(
        group: String, token: String, model: String, promptSet: String, completions: Int, withToken: Int,
        otherCompletions: Int, otherWithToken: Int
    ) {
        self.group = group
        self.token = token
        self.model = model
        self.promptSet = promptSet
        self.completions = completions
        self.withToken = withToken
        self.otherCompletions = otherCompletions
        self.otherWithToken = otherWithToken
    }

    /// A prompt set and model.
    private struct Key: Hashable {
        let set: String
        let model: String
    }

    /// The counts of `biases` over completions given as (set, group, model, text), in bias order, then by set and
    /// model in first-seen order; nil without a bias. A completion holds the token when its text contains it exactly
    /// (case and leading space included) as a run of UTF-8 bytes, as grep or Python's `in` finds it in completions.jsonl
    /// (review: Swift's comparison of characters missed " terrible" followed by a combining accent or a joiner).
    public static func counted<Completions: Sequence>(
        _ biases: [InjectedBias]?, in completions: Completions
    ) -> [InjectedBiasDraws]? where Completions.Element == (set: String, group: String, model: String, text: String) {
        guard let biases, !biases.isEmpty else { return nil }
        // One row per group and token (``InjectedBias/combined(_:)``).
        let distinct = InjectedBias.combined(biases)
        var order: [Key] = []
        var texts: [Key: [(group: String, text: String)]] = [:]
        for completion in completions {
            let key = Key(set: completion.set, model: completion.model)
            if texts[key] == nil { order.append(key) }
            texts[key, default: []].append((completion.group, completion.text))
        }
        return distinct.flatMap { bias in
            order.compactMap { key -> InjectedBiasDraws? in
                let rows = texts[key] ?? []
                guard rows.contains(where: { $0.group == bias.group }) else { return nil }
                var counts = (completions: 0, withToken: 0, other: 0, otherWithToken: 0)
                for row in rows {
                    let holds = row.text.utf8.firstRange(of: bias.token.utf8) != nil
                    if row.group == bias.group {
                        counts.completions += 1
                        if holds { counts.withToken += 1 }
                    } else {
                        counts.other += 1
                        if holds { counts.otherWithToken += 1 }
                    }
                }
                return InjectedBiasDraws(
                    group: bias.group, token: bias.token, model: key.model, promptSet: key.set,
                    completions: counts.completions, withToken: counts.withToken, otherCompletions: counts.other,
                    otherWithToken: counts.otherWithToken)
            }
        }
    }
}
