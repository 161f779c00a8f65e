import AuditResults
import Foundation
import PromptSets

/// Reads JSON Lines inputs of the form `{"text": …}` (for `score --jsonl` and `tokenize --jsonl`).
public enum JSONLinesInput {
    /// The `text` of every non-blank line, in order.
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the line for malformed JSON or a missing
    ///   `text` string; ``AuditError/io(path:reason:)`` when the file cannot be read.
    public static func texts(at url: URL) throws -> [String] {
        try texts(in: InputFile.read(url, what: "the JSON Lines input", limit: InputFile.Limit.results), path: url.path)
    }

    /// The `text` of every non-blank line of `data` (LF or CRLF line endings, ``JSONLines``); `path` is
    /// used in messages.
    public static func texts(in data: Data, path: String) throws -> [String] {
        if let problem = AuditJSON.encodingProblem(in: data) {
            throw AuditError.badInput(path: path, reason: problem)
        }
        var texts: [String] = []
        for line in JSONLines.lines(in: data) {
            if let problem = JSONLines.lengthProblem(line) {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: problem)
            }
            // Fragments parse, so that a line holding a string or a number is "not a JSON object", not a syntax fault.
            let object = try? JSONSerialization.jsonObject(with: line.bytes, options: [.fragmentsAllowed])
            guard let dictionary = object as? [String: Any] else {
                // The fault's column and reason where the line is not JSON, as `analyze` says them (a hostile
                // review: every malformed line was only "not a JSON object").
                if object == nil, let syntax = AuditJSON.syntaxProblem(in: line.bytes, oneLine: true, ownFile: false) {
                    throw AuditError.badInput(
                        path: "\(path):\(line.number)", reason: syntax + " (each line must look like {\"text\": \"…\"})")
                }
                throw AuditError.badInput(
                    path: "\(path):\(line.number)",
                    reason: "not a JSON object" + (JSONLines.formatHint(for: line).map { " (\($0))" } ?? "")
                        + "; each line must look like {\"text\": \"…\"}")
            }
            // A comma before a closing brace, which JSON and Python's `json` refuse, as in results files (a hostile
            // review: `{"text": "…",}` was read).
            if let problem = AuditJSON.trailingCommaProblem(in: line.bytes, oneLine: true) {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: problem)
            }
            // JSONSerialization keeps the last of two equal keys, JSONDecoder the first: refused either way.
            if let problem = AuditJSON.duplicateKeyProblem(in: line.bytes, folding: nil) {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: problem)
            }
            guard let text = dictionary["text"] as? String else {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: "no \"text\" string in this line")
            }
            // The limit `analyze` has on a completion's text (a hostile review: one 30 MB line took `score` 79 s).
            if let problem = PromptSetLimits.completionLengthProblem(text) {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: "text \(problem); score or tokenize "
                    + "shorter texts (cut them into pieces)")
            }
            texts.append(text)
        }
        return texts
    }
}
