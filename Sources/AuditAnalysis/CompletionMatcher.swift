import AuditResults
import Foundation
import PromptSets

/// Matches the lines of a completions file to the prompts of the audited prompt sets and turns them into
/// scored ``CompletionRecord``s, the input of ``AuditAnalysis/results(sets:models:records:settings:)``.
///
/// Nothing is dropped: a line that names an unknown set, template, group or term, or repeats a
/// (model, prompt, sample index) key, is an error naming the line.
public struct CompletionMatcher: Sendable {
    /// The file's path as the user named it, for `path:line` messages.
    public let path: String
    private let sets: [PromptSet]
    private var promptsByID: [String: Prompt] = [:]
    private var promptsByKey: [PromptKey: Prompt] = [:]

    /// A prompt by what a line can say about it: set, group, and template + term (template prompts) or
    /// prompt text (fixed prompts).
    private struct PromptKey: Hashable {
        var set: String
        var group: String
        var template: String?
        var termOrText: String
    }

    /// Creates a matcher for the prompts of `sets`.
    public init(sets: [PromptSet], path: String) {
        self.sets = sets
        self.path = path
        for set in sets {
            for prompt in set.prompts {
                promptsByID[prompt.id] = prompt
                let key = PromptKey(
                    set: set.name, group: prompt.group, template: prompt.template, termOrText: prompt.term ?? prompt.text)
                promptsByKey[key] = prompt
            }
        }
    }

    /// One line with the prompt it names.
    public struct Match: Sendable {
        /// The line.
        public let line: SuppliedCompletion
        /// Its prompt.
        public let prompt: Prompt
    }

    /// The prompt of every line, in file order.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `path:line` for the first line that names no
    ///   prompt of the sets (unknown set, group, template, term or prompt id; contradicting keys) or
    ///   repeats an earlier line's (model, prompt, sample index).
    public func match(_ lines: [SuppliedCompletion]) throws -> [Match] {
        var firstLine: [SampleKey: Int] = [:]
        var matches: [Match] = []
        matches.reserveCapacity(lines.count)
        for line in lines {
            let prompt = try self.prompt(for: line)
            let key = SampleKey(model: line.model, promptID: prompt.id, sampleIndex: line.sampleIndex)
            if let first = firstLine[key] {
                throw AuditError.badInput(
                    path: "\(path):\(line.line)",
                    reason: "duplicate completion: model '\(line.model)', prompt \(prompt.id), sample_index "
                        + "\(line.sampleIndex) is also on line \(first); give each sample of a prompt its own index")
            }
            firstLine[key] = line.line
            matches.append(Match(line: line, prompt: prompt))
        }
        return matches
    }

    /// Why the completions cannot be paired by random stream, or nil when they can: for every model and
    /// stream key (template), every prompt must have the same set of sample indices. Counterfactual
    /// prompts of a template with different indices were not sampled with common random numbers.
    /// - Returns: nil, or a sentence naming the first model and prompts whose indices differ.
    public static func unpairedReason(_ matches: [Match]) -> String? {
        var indices: [StreamCell: [String: Set<Int>]] = [:]
        for match in matches {
            let cell = StreamCell(model: match.line.model, key: RandomStreams.key(for: match.prompt))
            indices[cell, default: [:]][match.prompt.id, default: []].insert(match.line.sampleIndex)
        }
        for cell in indices.keys.sorted(by: { ($0.model, $0.key) < ($1.model, $1.key) }) {
            let byPrompt = indices[cell]!
            let ids = byPrompt.keys.sorted()
            guard let other = ids.first(where: { byPrompt[$0] != byPrompt[ids[0]] }) else { continue }
            return "model '\(cell.model)': prompts \(ids[0]) and \(other) of one template have different sample indices"
        }
        return nil
    }

    /// The scored records of `matches`, in the runner's order: model (first appearance in the file),
    /// set, prompt, sample index.
    /// - Parameters:
    ///   - matches: the lines with their prompts (``match(_:)``).
    ///   - pairedStreams: whether sample i of a template's prompts shares its random stream (common
    ///     random numbers); when false, each (template, group, model) gets its own stream key
    ///     (``unpairedStreamKey(_:group:model:)``), so the statistics compare groups (and models)
    ///     without pairing by stream.
    ///   - score: scores one continuation.
    public func records(
        _ matches: [Match], pairedStreams: Bool, score: (String) -> CompletionScores
    ) -> [CompletionRecord] {
        let modelOrder = Dictionary(uniqueKeysWithValues: matches.map(\.line.model).uniqued().enumerated().map { ($1, $0) })
        let setOrder = Dictionary(uniqueKeysWithValues: sets.enumerated().map { ($1.name, $0) })
        var promptOrder: [String: Int] = [:]
        for set in sets {
            for (index, prompt) in set.prompts.enumerated() { promptOrder[prompt.id] = index }
        }
        func rank(_ match: Match) -> (Int, Int, Int, Int) {
            (modelOrder[match.line.model]!, setOrder[match.prompt.set]!, promptOrder[match.prompt.id]!, match.line.sampleIndex)
        }
        return matches.sorted { rank($0) < rank($1) }.map { match in
            let (line, prompt) = (match.line, match.prompt)
            let streamKey = RandomStreams.key(for: prompt)
            return CompletionRecord(
                set: prompt.set, template: prompt.template,
                templateId: pairedStreams ? streamKey : Self.unpairedStreamKey(streamKey, group: prompt.group, model: line.model),
                group: prompt.group, term: prompt.term, promptId: prompt.id, prompt: prompt.text, model: line.model,
                sampleIndex: line.sampleIndex, text: line.text, tokenCount: line.tokenCount, stopReason: line.stopReason,
                scores: score(line.text), nextTokenLogOdds: line.nextTokenLogOdds.flatMap { $0.isFinite ? $0 : nil })
        }
    }

    /// The stream key of completions made without common random numbers: one per template, group and
    /// model, so no two groups (or models) share a stream and the statistics compare them unpaired.
    /// The template (with the group and model) stays the stratum of each group's level.
    public static func unpairedStreamKey(_ key: String, group: String, model: String) -> String {
        "\(key)\(unpairedMarker)\(group)/\(model)"
    }

    /// What ``unpairedStreamKey(_:group:model:)`` appends to a stream key.
    public static let unpairedMarker = "#unpaired/"

    /// The prompt a line names.
    private func prompt(for line: SuppliedCompletion) throws -> Prompt {
        let place = "\(path):\(line.line)"
        if let id = line.promptId {
            guard let prompt = promptsByID[id] else {
                throw AuditError.badInput(
                    path: place, reason: "prompt_id '\(id)' is not a prompt of the prompt sets (\(setNames)); "
                        + "give the prompt set it comes from, or set, template, group and term instead")
            }
            try check(line, against: prompt, place: place)
            return prompt
        }
        guard let setName = line.set, let groupID = line.group else {
            throw AuditError.badInput(
                path: place, reason: "the line names no prompt: give set, group, template and term (or prompt_id)")
        }
        guard let set = sets.first(where: { $0.name == setName }) else {
            throw AuditError.badInput(
                path: place, reason: "no prompt set named '\(setName)' (prompt sets: \(setNames)); give its YAML file as PROMPTSET")
        }
        guard let group = set.groups.first(where: { $0.id == groupID }) else {
            throw AuditError.badInput(
                path: place, reason: "unknown group '\(groupID)' in prompt set '\(setName)' (groups: "
                    + "\(set.groups.map(\.id).joined(separator: ", ")))")
        }
        let prompt: Prompt?
        if let terms = group.terms {
            guard let template = line.template, let term = line.term else {
                throw AuditError.badInput(
                    path: place, reason: "group '\(groupID)' of '\(setName)' fills templates with terms; give template and term")
            }
            guard set.templates.contains(template) else {
                throw AuditError.badInput(
                    path: place, reason: "template '\(template)' is not one of the \(set.templates.count) templates of '\(setName)'")
            }
            guard terms.contains(where: { $0.term == term }) else {
                throw AuditError.badInput(
                    path: place, reason: "term '\(term)' is not a term of group '\(groupID)' in '\(setName)' (terms: "
                        + "\(terms.map(\.term).joined(separator: ", ")))")
            }
            prompt = promptsByKey[PromptKey(set: setName, group: groupID, template: template, termOrText: term)]
        } else {
            let fixed = group.prompts ?? []
            guard let text = line.prompt ?? (fixed.count == 1 ? fixed.first : nil) else {
                throw AuditError.badInput(
                    path: place, reason: "group '\(groupID)' of '\(setName)' has fixed prompts; give the prompt text or prompt_id")
            }
            prompt = promptsByKey[PromptKey(set: setName, group: groupID, template: nil, termOrText: text)]
        }
        guard let prompt else {
            throw AuditError.badInput(
                path: place, reason: "no prompt of '\(setName)' matches this line (group '\(groupID)'); check its prompt text")
        }
        try check(line, against: prompt, place: place)
        return prompt
    }

    /// Refuses a line whose other keys contradict the prompt it names.
    private func check(_ line: SuppliedCompletion, against prompt: Prompt, place: String) throws {
        let claims: [(String, String?, String?)] = [
            ("set", line.set, prompt.set), ("group", line.group, prompt.group),
            ("template", line.template, prompt.template), ("term", line.term, prompt.term),
            ("prompt", line.prompt, prompt.text),
        ]
        for (key, given, expected) in claims {
            guard let given, given != expected else { continue }
            throw AuditError.badInput(
                path: place, reason: "\(key) '\(given)' does not match prompt \(prompt.id), whose \(key) is "
                    + "'\(expected ?? "absent")'")
        }
    }

    private var setNames: String {
        sets.isEmpty ? "none" : sets.map(\.name).joined(separator: ", ")
    }

    private struct SampleKey: Hashable {
        var model: String
        var promptID: String
        var sampleIndex: Int
    }

    private struct StreamCell: Hashable {
        var model: String
        var key: String
    }
}
