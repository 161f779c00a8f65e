import ArgumentParser
import PromptSets

/// Checks `--samples` and `--max-new-tokens` against the documented limits (README, "Limits"), the same
/// that `lint` applies to a prompt set's `defaults`, so that no size on the command line can overflow or
/// reserve memory it should not.
/// - Throws: `ValidationError` (exit 64) naming the option and its range.
func validateSizes(samples: Int?, maxNewTokens: Int?) throws {
    if let samples, !(1...PromptSetLimits.maximumSamples).contains(samples) {
        throw NumericArgument.refusal("--samples", mustBe: "at least 1 and at most \(PromptSetLimits.maximumSamples)", found: samples)
    }
    if let maxNewTokens, !(1...PromptSetLimits.maximumNewTokens).contains(maxNewTokens) {
        throw NumericArgument.refusal(
            "--max-new-tokens", mustBe: "at least 1 and at most \(PromptSetLimits.maximumNewTokens) (GPT-2's context window)",
            found: maxNewTokens)
    }
}
