import AuditResults
import Foundation

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
            let object = try? JSONSerialization.jsonObject(with: line.bytes)
            guard let dictionary = object as? [String: Any] else {
                throw AuditError.badInput(
                    path: "\(path):\(line.number)",
                    reason: "not a JSON object" + (JSONLines.formatHint(for: line).map { " (\($0))" } ?? "")
                        + "; each line must look like {\"text\": \"…\"}")
            }
            // JSONSerialization keeps the last of two equal keys, JSONDecoder the first: refused either way.
            if let problem = AuditJSON.duplicateKeyProblem(in: line.bytes, folding: nil) {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: problem)
            }
            guard let text = dictionary["text"] as? String else {
                throw AuditError.badInput(path: "\(path):\(line.number)", reason: "no \"text\" string in this line")
            }
            texts.append(text)
        }
        return texts
    }
}
