import ArgumentParser
import PromptSets

/// Checks `--samples` and `--max-new-tokens` against the documented limits (README, "Limits"), the same
/// that `lint` applies to a prompt set's `defaults`, so that no size on the command line can overflow or
/// reserve memory it should not.
/// - Throws: `ValidationError` (exit 64) naming the option and its range.
func validateSizes(samples: Int?, maxNewTokens: Int?) throws {
    let (samplesRange, newTokensRange) = (OptionRange.samples, OptionRange.maxNewTokens)
    if let samples, !samplesRange.contains(samples) {
        throw NumericArgument.refusal("--samples", range: samplesRange, found: samples)
    }
    if let maxNewTokens, !newTokensRange.contains(maxNewTokens) {
        throw NumericArgument.refusal(
            "--max-new-tokens", range: newTokensRange, meaning: OptionRange.maxNewTokensMeaning, found: maxNewTokens)
    }
}
