import AuditResults
import Foundation
import PromptSets

/// The check that a `completions.jsonl` read beside a `results.json` is the one written with it
/// (``AuditManifest/completionsSHA256``). Without it, `analyze RUN_DIR`, `diff` and `check` analysed whatever file
/// stood there (another run's copied in, an edited one) under the run's manifest: its models, seed and settings.
public enum CompletionsDigest {
    /// Refuses completions whose SHA-256 is not the one `result` records. Results written before the digest was
    /// recorded (no `completions_sha256`) are not checked.
    /// - Parameters:
    ///   - data: the bytes of the completions file.
    ///   - path: the completions file as shown in messages.
    ///   - result: the results it was found beside.
    ///   - remedy: what to do, for the command at hand.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) naming both digests' first 12 characters.
    public static func verify(_ data: Data, path: String, against result: AuditResult, remedy: String) throws {
        guard let recorded = result.manifest.completionsSHA256 else { return }
        // A hand-edited digest of another form is said to be one (a review: "" gave "records …", and the right digest
        // in capitals was refused); the case of the hexadecimal digits does not count.
        guard AuditResult.isSHA256(recorded) else {
            throw AuditError.badInput(
                path: path,
                reason: "cannot be checked: the results beside it record completions_sha256 "
                    + "'\(TextEscaping.excerpt(recorded, limit: 80))', which is not a SHA-256 (64 hexadecimal digits); put back "
                    + "the results.json written with it, or analyse this file as a completions file with its prompt sets")
        }
        let actual = FileDigests.sha256(of: data)
        guard actual != recorded.lowercased() else { return }
        throw AuditError.badInput(
            path: path,
            reason: "is not the completions file written with the results beside it (its SHA-256 is \(actual.prefix(12))…, "
                + "results.json records \(TextEscaping.excerpt(String(recorded.prefix(12))))…): it was replaced or edited "
                + "since; \(remedy)")
    }
}
