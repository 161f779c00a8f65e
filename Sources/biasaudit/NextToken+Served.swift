import ArgumentParser
import AuditResults
import AuditRun
import Foundation
import Generation
import Reporting
import PromptSets

extension BiasAudit.NextToken {
    /// `next-token` against a served model: the first token's `top_logprobs`, as the server reports them.
    func runServed(_ argument: ModelArgument) async throws {
        guard temperature == nil, topK == nil, topP == nil else {
            throw AuditError.usage(
                "--temperature, --top-k and --top-p show what sampling does to an in-process model's logits; "
                    + "--model \(EndpointSpec.redactingCredentials(argument.spec)) is served by another program, which returns only its top log-probabilities")
        }
        guard top > 0 else {
            throw AuditError.usage(
                "--top 0 (the whole vocabulary) needs an in-process model; a server returns only its most probable tokens")
        }
        let remote = try await RemoteModel.connect(
            argument, sampling: .init(temperature: 1, topK: 0, topP: 1), timeout: timeout.requestTimeout)
        // All the server lists, so that --token finds its rank beyond --top.
        let alternatives = try await remote.nextTokenAlternatives(prompt: prompt, count: Int.max)
        let entries = alternatives.prefix(top).map { ServedEntry(token: $0.token, prob: exp($0.logprob), logprob: $0.logprob) }
        let named = tokens.map { text -> ServedNamedToken in
            let position = alternatives.firstIndex { $0.token == text }
            return ServedNamedToken(
                text: text, prob: position.map { exp(alternatives[$0].logprob) },
                logprob: position.map { alternatives[$0].logprob }, rank: position.map { $0 + 1 })
        }
        if json {
            let output = ServedNextTokenOutput(
                model: argument.label, endpoint: remote.endpoint.spec.endpoint, servedName: remote.servedName,
                top: entries, tokens: tokens.isEmpty ? nil : named)
            print(String(decoding: try AuditJSON.encoder(pretty: false).encode(output), as: UTF8.self))
            return
        }
        var lines = [
            "next token after \(TextEscaping.quoted(prompt)) (\(TextEscaping.line(remote.servedName)) at "
                + "\(remote.endpoint.spec.endpoint), the server's top \(entries.count)):",
            "rank  token             logprob    prob",
        ]
        for (rank, entry) in entries.enumerated() {
            let cells: [String] = [
                TerminalText.pad(String(rank + 1), 4, left: false) + " ",
                TerminalText.pad(TextEscaping.quoted(entry.token), 16, left: false),
                TerminalText.pad(ReportNumbers.plain(entry.logprob, decimals: 3), 9, left: false),
                ReportNumbers.plain(entry.prob, decimals: 4),
            ]
            lines.append(cells.joined(separator: " "))
        }
        for token in named {
            let where_ = token.rank.map { "rank \($0), prob \(ReportNumbers.plain(token.prob ?? 0, decimals: 4))" }
                ?? "not among the server's top \(alternatives.count)"
            lines.append("\(TextEscaping.quoted(token.text)): \(where_)")
        }
        print(lines.joined(separator: "\n"))
    }

}

/// One of the server's top tokens. `id` and `logit` are written as null, so that every `top` entry has the keys of an
/// in-process model's (DESIGN.md: `{"id", "token", "logit", "prob"}`; a contract review found them missing): a server
/// reports a token's text and log-probability, not its id or logit.
private struct ServedEntry: Encodable {
    var token: String
    var prob: Double
    var logprob: Double

    enum CodingKeys: String, CodingKey { case id, token, logit, prob, logprob }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encodeNil(forKey: .id)
        try container.encode(token, forKey: .token)
        try container.encodeNil(forKey: .logit)
        try container.encode(prob, forKey: .prob)
        try container.encode(logprob, forKey: .logprob)
    }
}

/// A `--token` text among the server's top tokens. The keys of an in-process model's entry are all written (DESIGN.md;
/// a code review found only `text`, `prob`, `logprob` and `rank`): `ids` empty and `multi_token`, `id` and `logit` null (a
/// server sends no ids or logits), `token` the server's token where the text is one of its top tokens, and `prob`,
/// `logprob`, `rank` and `token` null where it is not.
private struct ServedNamedToken: Encodable {
    var text: String
    var prob: Double?
    var logprob: Double?
    var rank: Int?

    enum CodingKeys: String, CodingKey {
        case text, ids, id, token, logit, prob, logprob, rank
        case multiToken = "multi_token"
    }

    func encode(to encoder: Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(text, forKey: .text)
        try container.encode([Int](), forKey: .ids)
        try container.encodeNil(forKey: .multiToken)
        try container.encodeNil(forKey: .id)
        if rank != nil { try container.encode(text, forKey: .token) } else { try container.encodeNil(forKey: .token) }
        try container.encodeNil(forKey: .logit)
        if let prob { try container.encode(prob, forKey: .prob) } else { try container.encodeNil(forKey: .prob) }
        if let logprob { try container.encode(logprob, forKey: .logprob) } else { try container.encodeNil(forKey: .logprob) }
        if let rank { try container.encode(rank, forKey: .rank) } else { try container.encodeNil(forKey: .rank) }
    }
}

private struct ServedNextTokenOutput: Encodable {
    /// Empty: a server returns no ids (as `generate --json` of a served model writes it).
    var promptIds: [Int] = []
    var model: String
    var endpoint: String
    var servedName: String
    var top: [ServedEntry]
    var tokens: [ServedNamedToken]?
}
