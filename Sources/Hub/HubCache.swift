import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The on-disk cache, laid out bit for bit as Python's `huggingface_hub` lays it out:
///
/// ```
/// {root}/models--{org}--{name}/
///     blobs/{etag}                      file contents, named by etag (SHA-256 for LFS files, git blob id else)
///     blobs/{etag}.incomplete           a download in progress (resumed with a Range request)
///     snapshots/{commit}/{file}         relative symlink to ../../blobs/{etag}
///     refs/{revision}                   the commit the revision pointed to, no trailing newline
///     .no_exist/{commit}/{file}         empty marker: the file does not exist at that commit
/// {root}/.locks/models--{org}--{name}/{etag}.lock
/// {root}/CACHEDIR.TAG
/// ```
public struct HubCache: Sendable, Equatable {
    /// The cache root (`HF_HUB_CACHE`).
    public let root: URL

    /// A cache rooted at `root`.
    public init(root: URL) {
        self.root = root
    }

    /// `{root}/models--{org}--{name}`.
    public func repositoryDirectory(for repo: HubRepoID) -> URL {
        root.appendingPathComponent(repo.cacheFolderName, isDirectory: true)
    }

    /// `{repo}/blobs/{etag}`.
    func blobURL(for repo: HubRepoID, etag: String) -> URL {
        repositoryDirectory(for: repo).appendingPathComponent("blobs", isDirectory: true)
            .appendingPathComponent(etag)
    }

    /// `{root}/.locks/models--…/{etag}.lock`, where `huggingface_hub` takes its download lock.
    func lockURL(for repo: HubRepoID, etag: String) -> URL {
        root.appendingPathComponent(".locks", isDirectory: true)
            .appendingPathComponent(repo.cacheFolderName, isDirectory: true)
            .appendingPathComponent("\(etag).lock")
    }

    /// `{repo}/snapshots/{commit}`.
    public func snapshotDirectory(for repo: HubRepoID, commit: String) -> URL {
        repositoryDirectory(for: repo).appendingPathComponent("snapshots", isDirectory: true)
            .appendingPathComponent(commit, isDirectory: true)
    }

    /// `{repo}/refs/{revision}`.
    func refURL(for repo: HubRepoID, revision: String) -> URL {
        repositoryDirectory(for: repo).appendingPathComponent("refs", isDirectory: true)
            .appendingPathComponent(revision)
    }

    /// `{repo}/.no_exist/{commit}/{file}`.
    func noExistURL(for repo: HubRepoID, commit: String, file: String) -> URL {
        repositoryDirectory(for: repo).appendingPathComponent(".no_exist", isDirectory: true)
            .appendingPathComponent(commit, isDirectory: true).appendingPathComponent(file)
    }

    /// The commit a revision names in the cache: the revision itself when it is a commit hash, else the
    /// content of `refs/{revision}`; nil when the cache does not know the revision.
    /// - Throws: `HubError.invalidRevision` for a hostile revision, `.malformedCache` for a garbled ref or one
    ///   that is not a small regular file, `.io` for an unreadable one.
    public func commit(for repo: HubRepoID, revision: String) throws -> String? {
        try HubPathRules.validateRevision(revision)
        if HubPathRules.isCommitHash(revision) { return revision }
        let ref = refURL(for: repo, revision: revision)
        guard let data = try Self.readCacheFile(ref, what: "the ref \(revision)", limit: Self.refSizeLimit) else { return nil }
        let commit = Self.refText(data)
        guard HubPathRules.isCommitHash(commit) else {
            throw HubError.malformedCache(path: ref.path, detail: "the ref does not hold a 40-hex commit hash")
        }
        return commit
    }

    /// The text of a ref file without the ASCII white space around it (a final newline an editor added;
    /// `huggingface_hub` writes none). Foundation's `whitespacesAndNewlines` also holds U+200B, which made a hash
    /// followed by one valid and was dropped from the malformed ref's quote (a hostile review).
    static func refText(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        let space: Set<Unicode.Scalar> = [" ", "\t", "\n", "\r"]
        let scalars = text.unicodeScalars
        guard let first = scalars.firstIndex(where: { !space.contains($0) }),
            let last = scalars.lastIndex(where: { !space.contains($0) })
        else { return "" }
        return String(scalars[first...last])
    }

    /// The snapshot directory of a revision when the cache knows it and it exists; nil otherwise.
    public func snapshotDirectory(for repo: HubRepoID, revision: String) throws -> URL? {
        guard let commit = try commit(for: repo, revision: revision) else { return nil }
        let directory = snapshotDirectory(for: repo, commit: commit)
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: directory.path, isDirectory: &isDirectory)
        return exists && isDirectory.boolValue ? directory : nil
    }

    /// True when `snapshots/{commit}/{file}` exists and resolves to a regular file: a dangling link, a loop, a FIFO or
    /// a device (a link to /dev/zero) does not count, so `models path` refuses such a snapshot as `models list` flags
    /// it (a hostile review: it printed the path, exit 0, and loading then failed), and a pull fetches the file again.
    public func hasFile(_ file: String, in repo: HubRepoID, commit: String) -> Bool {
        let path = snapshotDirectory(for: repo, commit: commit).appendingPathComponent(file).path
        var status = stat()
        return stat(path, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG
    }

    /// True when `.no_exist/{commit}/{file}` records that the file does not exist at that commit
    /// (`huggingface_hub`'s `_CACHED_NO_EXIST`).
    public func isKnownMissing(_ file: String, in repo: HubRepoID, commit: String) -> Bool {
        FileManager.default.fileExists(atPath: noExistURL(for: repo, commit: commit, file: file).path)
    }

    /// Writes `refs/{revision}` atomically (temporary file, then rename), without a trailing newline.
    /// Does nothing when the revision is the commit itself or the ref already holds it.
    func writeRef(_ commit: String, for repo: HubRepoID, revision: String) throws {
        guard revision != commit else { return }
        let ref = refURL(for: repo, revision: revision)
        // An unreadable or special file in its place is replaced by the rename below.
        if let data = try? Self.readCacheFile(ref, what: "the ref \(revision)", limit: Self.refSizeLimit),
            String(decoding: data, as: UTF8.self) == commit
        {
            return
        }
        let temporary = ref.deletingLastPathComponent().appendingPathComponent(".\(ref.lastPathComponent).\(UUID().uuidString).tmp")
        try createDirectory(ref.deletingLastPathComponent())
        do { try Data(commit.utf8).write(to: temporary) } catch {
            throw HubError.io(path: temporary.path, operation: "write", error: error)
        }
        try moveReplacing(temporary, to: ref)
    }

    /// Points `snapshots/{commit}/{file}` at `blobs/{etag}` with a relative symlink (`../../blobs/{etag}`,
    /// one more `../` per sub-folder of the file name), replacing whatever was there.
    func linkSnapshotFile(_ file: String, in repo: HubRepoID, commit: String, etag: String) throws {
        let pointer = snapshotDirectory(for: repo, commit: commit).appendingPathComponent(file)
        try createDirectory(pointer.deletingLastPathComponent())
        let depth = file.split(separator: "/").count
        let target = String(repeating: "../", count: depth + 1) + "blobs/" + etag
        let manager = FileManager.default
        if (try? manager.destinationOfSymbolicLink(atPath: pointer.path)) == target { return }
        if (try? manager.attributesOfItem(atPath: pointer.path)) != nil {
            do { try manager.removeItem(at: pointer) } catch {
                throw HubError.io(path: pointer.path, operation: "replace", error: error)
            }
        }
        do {
            try manager.createSymbolicLink(atPath: pointer.path, withDestinationPath: target)
        } catch {
            throw HubError.io(path: pointer.path, operation: "create symlink", error: error)
        }
    }

    /// Records that `file` does not exist at `commit` (an empty `.no_exist/{commit}/{file}`).
    func markMissing(_ file: String, in repo: HubRepoID, commit: String) throws {
        let marker = noExistURL(for: repo, commit: commit, file: file)
        try createDirectory(marker.deletingLastPathComponent())
        do { try Data().write(to: marker) } catch {
            throw HubError.io(path: marker.path, operation: "write", error: error)
        }
    }

    /// Writes `{root}/CACHEDIR.TAG` (the cache-directory tag standard, https://bford.info/cachedir/, which
    /// `huggingface_hub` writes too) so backup tools skip the cache; an existing tag is left alone.
    func tagCacheDirectory() throws {
        let tag = root.appendingPathComponent("CACHEDIR.TAG")
        guard !FileManager.default.fileExists(atPath: tag.path) else { return }
        let text = "Signature: 8a477f597d28d172789f06886806bc55\n"
            + "# This file is a cache directory tag: the Hugging Face model cache, written by biasaudit.\n"
            + "# For information about cache directory tags, see https://bford.info/cachedir/\n"
        do { try Data(text.utf8).write(to: tag) } catch {
            throw HubError.io(path: tag.path, operation: "write", error: error)
        }
    }

    func createDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw HubError.io(path: url.path, operation: "create directory", error: error)
        }
    }

    /// `rename(2)`: atomic, replaces the destination.
    func moveReplacing(_ source: URL, to destination: URL) throws {
        guard rename(source.path, destination.path) == 0 else {
            throw HubError.io(path: destination.path, operation: "rename \(source.lastPathComponent) to", errno: errno)
        }
    }
}
