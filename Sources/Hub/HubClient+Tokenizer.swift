import Foundation

extension HubClient {
    /// The files a tokenizer may need, asked for besides `config.json`: GPT-2's byte-level BPE
    /// (`vocab.json`, `merges.txt`) and BERT's WordPiece (`vocab.txt`, `tokenizer_config.json`). Each is
    /// optional; a repository has one kind or the other.
    public static let tokenizerFiles = ["vocab.json", "merges.txt", "vocab.txt", "tokenizer_config.json"]

    /// The snapshot of a repository's tokenizer files only, never its weights: `config.json` (every model
    /// repository has it, so it anchors the commit) and whichever of ``tokenizerFiles`` the repository has.
    /// Used by `tokenize` and `decode`.
    /// - Throws: as ``snapshot(repoID:revision:files:optionalFiles:)``, except that a tokenizer that is not
    ///   cached while offline is ``HubError/tokenizerNotCached(repoID:revision:cachePath:)`` and one that is not
    ///   cached while the Hub cannot be reached is ``HubError/tokenizerUnreachable(repoID:url:detail:cachePath:)``;
    ///   both messages say how to fetch the tokenizer alone (not `models pull`, which fetches the weights).
    public func tokenizerSnapshot(repoID: HubRepoID, revision: String = "main") async throws -> HubSnapshot {
        do {
            return try await snapshot(
                repoID: repoID, revision: revision, files: ["config.json"], optionalFiles: Self.tokenizerFiles)
        } catch HubError.notCached(let id, let revision, let cachePath, _, _) {
            throw HubError.tokenizerNotCached(repoID: id, revision: revision, cachePath: cachePath)
        } catch HubError.unreachable(let id, let url, let detail, let cachePath) {
            throw HubError.tokenizerUnreachable(repoID: id, url: url, detail: detail, cachePath: cachePath)
        } catch HubError.untrustedServer(let id, let url, let detail, let cachePath, _) {
            throw HubError.untrustedServer(repoID: id, url: url, detail: detail, cachePath: cachePath, tokenizerOnly: true)
        }
    }
}
