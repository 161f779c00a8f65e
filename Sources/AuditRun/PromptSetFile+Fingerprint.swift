import Foundation
import PromptSets

/// The part of a prompt set that the completions depend on, for the run store's fingerprint: a set edited
/// only where generation does not look (group labels, Spanish `labels`, description, source, axis, metrics,
/// primary metrics, `women_share`) resumes its run; any other edit is a different run.
extension PromptSetFile {
    /// Lower-case hexadecimal SHA-256 of what generation reads from the set: for every prompt, in set order,
    /// its id (which names the set, the template and the term), its text, its group (``InjectedBias`` is
    /// given per group) and its random-stream key (``RandomStreams/key(for:)``). Fields are separated by
    /// U+001F and prompts by U+001E, characters a prompt set cannot hold.
    public var generationDigest: String { Self.generationDigest(of: set) }

    /// ``generationDigest`` of a parsed set.
    public static func generationDigest(of set: PromptSet) -> String {
        let canonical = set.prompts.map { prompt in
            [prompt.id, prompt.text, prompt.group, RandomStreams.key(for: prompt)].joined(separator: "\u{1F}")
        }.joined(separator: "\u{1E}")
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
}
