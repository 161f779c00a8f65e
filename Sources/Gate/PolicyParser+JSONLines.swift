import Foundation

extension PolicyParser {
    /// What a JSON Lines file given as the policy is, with what to give instead; nil when `text` is not JSON Lines (a
    /// hostile review: `check --policy completions.jsonl` got "did not find expected <document start>" at line 2).
    ///
    /// JSON Lines here: the first two lines that hold anything are each one JSON object, or the first is a completion
    /// (`text` with `sample_index` or `prompt_id`) and has no `rules`. A policy written as one line of JSON
    /// (`{"rules": [...]}`, JSON being YAML) is not refused.
    static func jsonLinesRefusal(_ text: String) -> String? {
        let lines = text.split(maxSplits: 2, omittingEmptySubsequences: true, whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }.prefix(2)
        let objects = lines.map { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        guard let firstObject = objects.first, let first = firstObject else { return nil }
        let keys = Set(first.keys)
        let isCompletion = keys.contains("text") && !keys.isDisjoint(with: ["sample_index", "prompt_id"])
        guard (objects.count == 2 && objects[1] != nil) || (isCompletion && !keys.contains("rules")) else { return nil }
        let what = isCompletion
            ? "this is a JSON Lines file of completions (one JSON object per line, as a run's completions.jsonl)"
            : "this is a JSON Lines file (one JSON object per line)"
        return what + ", not a policy; give a policy (a YAML file of rules:) with --policy and the run's results.json "
            + "before it: biasaudit check results.json --policy policy.yaml"
    }
}
