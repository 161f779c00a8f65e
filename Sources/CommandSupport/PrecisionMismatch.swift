import AuditResults
import Foundation
import PromptSets

/// Two runs generated at different `--precision` (f32 against bf16) differ even for the same model: `diff` and
/// `check --baseline` refuse to compare them unless `--allow-precision-mismatch` says the change is meant to include
/// the arithmetic's (review: `check --baseline` compared them without a word where `diff` refused).
public enum PrecisionMismatch {
    /// Refuses runs of different precisions, or notes on standard error what the comparison then includes.
    /// - Parameters:
    ///   - a: side A (the reference or baseline), with its path as the user gave it.
    ///   - b: side B (the candidate), with its path.
    ///   - allowed: `--allow-precision-mismatch` was given.
    /// - Returns: the note (without the `biasaudit: note:` prefix) when the precisions differ and that is allowed, for
    ///   the outputs to carry too (review: `diff --out` files said nothing of it); nil when they agree, or when
    ///   either run's models were all served (``AuditManifest/precisionApplies``).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when the precisions differ and `allowed` is false.
    @discardableResult
    public static func check(_ a: AuditResult, path pathA: String, against b: AuditResult, path pathB: String, allowed: Bool)
        throws -> String?
    {
        // A run whose models were all served has no precision of biasaudit's to compare (a server computes at its own;
        // results of earlier builds recorded the --precision given all the same).
        guard a.manifest.precisionApplies, b.manifest.precisionApplies else { return nil }
        let (precisionA, precisionB) = (a.manifest.effectivePrecision, b.manifest.effectivePrecision)
        guard precisionA != precisionB else { return nil }
        guard allowed else {
            throw AuditError.usage(
                "\(pathA) was generated at --precision \(precisionA) and \(pathB) at --precision \(precisionB), so their "
                    + "changes would include the change of arithmetic (the same model writes differently at each); re-run one "
                    + "at the other's precision, or pass "
                    + "--allow-precision-mismatch to measure the change of precision as part of the comparison")
        }
        let note = "\(pathA) was generated at --precision \(precisionA) and \(pathB) at --precision \(precisionB); "
            + "the changes compared include the change of arithmetic"
        StandardStreams.writeError("biasaudit: note: \(TextEscaping.line(note))\n")
        return note
    }
}
