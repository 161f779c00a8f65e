import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One cached model repository, as `biasaudit models list` shows it.
public struct CachedModel: Sendable, Equatable {
    /// `name` or `org/name`.
    public let repoID: String
    /// `{cache}/models--…`.
    public let path: URL
    /// Bytes of the complete files: every file in `blobs/` and every file a snapshot entry leads to, each
    /// stat'ed through symlinks and counted once (by device and inode); `.incomplete` downloads not counted.
    public let sizeOnDisk: Int64
    /// The cached snapshots, sorted by commit.
    public let revisions: [CachedRevision]
}

/// One snapshot of a cached model.
public struct CachedRevision: Sendable, Equatable {
    /// The 40-hex commit hash (the snapshot folder's name).
    public let commit: String
    /// The refs (branches, tags) that point at this commit, sorted (`main`, `refs/pr/1`).
    public let refs: [String]
    /// The files of the snapshot, as paths relative to it, sorted.
    public let files: [String]
    /// `{cache}/models--…/snapshots/{commit}`.
    public let path: URL
}

extension HubCache {
    /// Every model repository in the cache (folders named `models--…`), sorted by id.
    /// Datasets, spaces, `.locks` and stray files are skipped.
    /// - Throws: `HubError.io` when the cache root exists but cannot be read.
    public func listModels() throws -> [CachedModel] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else { return [] }
        let names: [String]
        do {
            names = try manager.contentsOfDirectory(atPath: root.path)
        } catch {
            throw HubError.io(path: root.path, operation: "list", error: error)
        }
        var models: [CachedModel] = []
        for folder in names.sorted() where folder.hasPrefix("models--") {
            let parts = folder.components(separatedBy: "--").dropFirst()
            guard let repo = try? HubRepoID(parts.joined(separator: "/")) else { continue }
            models.append(describe(repo))
        }
        return models.sorted { $0.repoID < $1.repoID }
    }

    /// The cache entry of one repository (revisions, refs, files, size), empty when absent.
    public func describe(_ repo: HubRepoID) -> CachedModel {
        let directory = repositoryDirectory(for: repo)
        let refsByCommit = readRefs(in: directory.appendingPathComponent("refs", isDirectory: true))
        let snapshots = directory.appendingPathComponent("snapshots", isDirectory: true)
        let commits = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots.path)) ?? [])
            .filter(HubPathRules.isCommitHash).sorted()
        let revisions = commits.map { commit -> CachedRevision in
            let path = snapshots.appendingPathComponent(commit, isDirectory: true)
            return CachedRevision(
                commit: commit, refs: (refsByCommit[commit] ?? []).sorted(), files: relativeFiles(under: path),
                path: path)
        }
        return CachedModel(
            repoID: repo.description, path: directory,
            sizeOnDisk: contentBytes(
                blobs: directory.appendingPathComponent("blobs", isDirectory: true),
                snapshotFiles: revisions.flatMap { revision in revision.files.map { revision.path.appendingPathComponent($0) } }),
            revisions: revisions)
    }

    private func readRefs(in refsDirectory: URL) -> [String: [String]] {
        var byCommit: [String: [String]] = [:]
        for name in relativeFiles(under: refsDirectory) {
            // A ref that is missing, unreadable or not a small regular file names no revision in the listing.
            guard let data = try? Self.readCacheFile(
                refsDirectory.appendingPathComponent(name), what: "the ref \(name)", limit: Self.refSizeLimit)
            else { continue }
            let commit = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            byCommit[commit, default: []].append(name)
        }
        return byCommit
    }

    /// Paths (relative to `directory`) of the files and symlinks under it, hidden temporaries excluded.
    private func relativeFiles(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            let name = (relative as NSString).lastPathComponent
            if type != .typeDirectory, !name.hasPrefix(".") { files.append(relative) }
        }
        return files.sorted()
    }

    /// The real size of the content: `stat(2)` (which follows symlinks, unlike `attributesOfItem`) of the
    /// blobs and of the snapshot files, each regular file counted once. A blob that is itself a link (a
    /// cache assembled by other tools) or a snapshot file copied instead of linked (huggingface_hub without
    /// symlink support) is counted at the size of what it holds, not of the link.
    private func contentBytes(blobs: URL, snapshotFiles: [URL]) -> Int64 {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: blobs.path)) ?? []
        let candidates = names.filter { !$0.hasSuffix(".incomplete") && !$0.hasPrefix(".") }
            .map { blobs.appendingPathComponent($0) } + snapshotFiles
        var seen: Set<[UInt64]> = []
        var total: Int64 = 0
        for url in candidates {
            var status = stat()
            guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG,
                seen.insert([UInt64(status.st_dev), UInt64(status.st_ino)]).inserted
            else { continue }
            total += Int64(status.st_size)
        }
        return total
    }
}
