import Foundation
import PromptSets

extension PolicyParser {
    /// What a JSON Lines file or an HTML page given as the policy is, with what to give instead; nil for other text
    /// (``PromptSets/YAMLProblems/foreignText(_:topLevelKeys:)``; a policy written as one line of JSON, `{"rules": [...]}`,
    /// is not refused).
    static func foreignTextRefusal(_ text: String) -> String? {
        YAMLProblems.foreignText(text, topLevelKeys: ["rules"]).map {
            $0 + ", not a policy; give a policy (a YAML file of rules:) with --policy and the run's results.json "
                + "before it: biasaudit check results.json --policy policy.yaml"
        }
    }
}
