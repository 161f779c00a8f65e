import AuditAnalysis
import Foundation
import PromptSets

/// The part of a prompt set that the completions depend on, for the run store's fingerprint: a set edited
/// only where generation does not look (group labels, Spanish `labels`, description, source, axis, metrics,
/// primary metrics, `women_share`) resumes its run; any other edit is a different run.
extension PromptSetFile {
    /// Lower-case hexadecimal SHA-256 of what generation reads from the set: for every prompt, in set order,
    /// its id (which names the set, the template and the term), its text, its group (``InjectedBias`` is
    /// given per group) and its random-stream key (``RandomStreams/key(for:)``). Each field is written as
    /// its UTF-8 length in decimal, `:` and its UTF-8 bytes, one after the other (a netstring without the
    /// comma), so no text a prompt holds (a term may hold any character, U+001F included) can move a field
    /// boundary and make two different sets read alike.
    public var generationDigest: String { Self.generationDigest(of: set) }

    /// ``generationDigest`` of a parsed set.
    public static func generationDigest(of set: PromptSet) -> String {
        let canonical = set.prompts.flatMap { prompt in
            [prompt.id, prompt.text, prompt.group, RandomStreams.key(for: prompt)]
        }.map { "\($0.utf8.count):\($0)" }.joined()
        return FileDigests.sha256(of: Data(canonical.utf8))
    }
}

extension SetPlan {
    /// The set's fingerprint entry: its generation digest, samples and new tokens per completion.
    var fingerprint: String {
        "prompts=\(file.generationDigest) \(sizes)"
    }

    /// The entry stores made before ``fingerprint`` hold: the SHA-256 of the file's bytes, so that any edit,
    /// labels included, was a different run.
    var legacyFingerprint: String {
        "sha256=\(file.sha256) \(sizes)"
    }

    private var sizes: String { "samples=\(samples) max_new_tokens=\(maxNewTokens)" }

    /// Whether a stored fingerprint entry of this set in the legacy form (``legacyFingerprint``) describes the
    /// same completions: the same file bytes, or (the file was edited since) the bytes the store recorded
    /// under that SHA-256 (`prompt_set_source`) parse to a set of the same ``PromptSetFile/generationDigest``,
    /// with the same samples and new tokens.
    /// - Parameters:
    ///   - stored: the stored entry.
    ///   - recorded: the prompt-set bytes the store recorded, by set name.
    func matchesLegacy(_ stored: String, recorded: [String: RunStore.StoredPromptSet]) -> Bool {
        if stored == legacyFingerprint { return true }
        let prefix = "sha256="
        let suffix = " " + sizes
        guard stored.hasPrefix(prefix), stored.hasSuffix(suffix),
            let source = recorded[file.set.name]
        else { return false }
        let digest = String(stored.dropFirst(prefix.count).dropLast(suffix.count))
        guard FileDigests.sha256(of: source.data) == digest,
            let old = try? PromptSetLoader.load(data: source.data, path: source.path)
        else { return false }
        return PromptSetFile.generationDigest(of: old) == file.generationDigest
    }

    /// Why a stored entry of this set (``fingerprint``, or ``legacyFingerprint``'s form) that differs from this
    /// run's describes other completions, in words: other samples or new tokens, or the first prompt of the
    /// set the store recorded (`prompt_set_source`, when it is the one the entry describes) that is not in
    /// the file now, the first new one, or the same prompts in another order. Nil when the entry or the
    /// recorded file cannot say.
    func explainMismatch(_ stored: String, recorded: [String: RunStore.StoredPromptSet]) -> String? {
        let name = "set \(file.set.name)"
        let parts = stored.split(separator: " ", maxSplits: 1).map(String.init)
        guard parts.count == 2 else { return nil }
        // A short escaped excerpt: the stored entry is the store's text, edited or damaged maybe (a code review: 100,000
        // characters of it were quoted).
        if parts[1] != sizes { return "\(name) was sampled with \(TextEscaping.excerpt(parts[1], limit: 80)), now \(sizes)" }
        guard let source = recorded[file.set.name],
            let old = try? PromptSetLoader.load(data: source.data, path: source.path)
        else { return nil }
        let describes = parts[0] == "prompts=" + PromptSetFile.generationDigest(of: old)
            || parts[0] == "sha256=" + FileDigests.sha256(of: source.data)
        guard describes else { return nil }
        func key(_ prompt: Prompt) -> [String] { [prompt.id, prompt.text, prompt.group, RandomStreams.key(for: prompt)] }
        func quoted(_ prompt: Prompt) -> String { "'\(TextEscaping.excerpt(prompt.text, limit: 60))' (group \(TextEscaping.excerpt(prompt.group, limit: 40)))" }
        let now = Set(file.set.prompts.map(key))
        let before = Set(old.prompts.map(key))
        if let gone = old.prompts.first(where: { !now.contains(key($0)) }) {
            return "\(name): prompt \(quoted(gone)) of the run store is not in \(file.path) now (a template, term or "
                + "group changed)"
        }
        if let new = file.set.prompts.first(where: { !before.contains(key($0)) }) {
            return "\(name): prompt \(quoted(new)) of \(file.path) is not in the run store (a template, term or group was added)"
        }
        return "\(name): the same prompts in another order (templates, groups or terms were reordered); a run resumes only "
            + "with the prompts in the order it was made with"
    }
}
