import Foundation
import InputFiles
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
    /// Refs that name no revision, each said in words ("refs/main holds '../../tmp', not a commit hash"): `models path`
    /// refuses them, and the listing said nothing of them (a hostile review).
    public var malformedRefs: [String] = []
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
    /// The files that cannot be read, each said in words ("vocab.json missing (a link to a missing blob)"): a
    /// snapshot with one was listed as complete, and `generate --offline` then said "missing: vocab.json".
    public var unusableFiles: [String] = []
    /// The files a model needs (``ModelLocator/requiredFiles``) that the snapshot lacks, in that order: a snapshot
    /// without one was listed as complete (a hostile review). A snapshot `tokenize` fetched holds no weights.
    public var missingFiles: [String] = []
}

extension HubCache {
    /// What to do about a cache entry found malformed (a ref that names no commit, a partial download that is no file):
    /// "delete the folder …/models--org--name and pull the model again (`biasaudit models pull org/name`)". One sentence
    /// for `models list` and `models path` (and every command's refusal, ``HubError/malformedCache(path:detail:)``): a
    /// review found the listing saying "delete it" (the ref) where `models path` said to delete the folder.
    /// - Parameters:
    ///   - folder: the model's `models--…` folder, as it is to be shown.
    ///   - repoID: the model's id, for the `models pull` command; none when unknown.
    public static func repairAdvice(folder: String, repoID: String?) -> String {
        "delete the folder \(folder) and pull the model again" + (repoID.map { " (`biasaudit models pull \($0)`)" } ?? "")
    }

    /// Every model repository in the cache (folders named `models--…`), sorted by id.
    /// Datasets, spaces, `.locks` and stray files are skipped, and so is a `models--…` entry that is not a folder (a
    /// FIFO, or a link to /dev/zero, was listed as a model of 0 bytes).
    /// - Throws: `HubError.io` when the cache root exists but cannot be read.
    public func listModels() throws -> [CachedModel] {
        let manager = FileManager.default
        guard manager.fileExists(atPath: root.path) else {
            // Not there because a file stands in its path (`HF_HUB_CACHE=afile/sub`): said, as for the cache itself being a
            // file (a final review: "no models cached", exit 0).
            if SystemErrorCode.nonFolderAmongAncestors(of: root) != nil {
                throw HubError.io(path: root.path, operation: "list", errno: ENOTDIR)
            }
            return []
        }
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
            var isDirectory: ObjCBool = false
            guard manager.fileExists(atPath: root.appendingPathComponent(folder).path, isDirectory: &isDirectory),
                isDirectory.boolValue
            else { continue }
            models.append(describe(repo))
        }
        return models.sorted { $0.repoID < $1.repoID }
    }

    /// The `models--…` entries of the cache whose names are no model id (`models--esc\u{1B}[31mred`, bytes that are not
    /// UTF-8), which ``listModels()`` skips: a UTF-8 name as text with its backslashes as `\x5c` (the caller shows its
    /// control and invisible characters, as it shows any text of the cache: U+200B as `\u{200b}`, not as three bytes),
    /// other names with their bytes outside printable ASCII as `\xNN`. Read with `readdir`, whose names are bytes
    /// (Foundation's listing turns them into strings).
    /// A hostile review: the listing left them out without a word. Empty when the cache cannot be read.
    public func unlistedEntryNames() -> [String] {
        guard let directory = opendir(root.path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let bytes = withUnsafeBytes(of: entry.pointee.d_name) { raw in Array(raw.prefix { $0 != 0 }) }
            guard bytes.starts(with: Array("models--".utf8)) else { continue }
            if let name = String(validating: bytes, as: UTF8.self) {
                if (try? HubRepoID(name.components(separatedBy: "--").dropFirst().joined(separator: "/"))) != nil {
                    continue
                }
                // Text: the caller shows its control and invisible characters as it shows any text of the cache.
                names.append(name.replacingOccurrences(of: "\\", with: "\\x5c"))
                continue
            }
            names.append(bytes.map { (0x20...0x7E).contains($0) && $0 != 0x5C ? String(UnicodeScalar($0)) : String(format: "\\x%02x", $0) }.joined())
        }
        return names.sorted()
    }

    /// The cache entry of one repository (revisions, refs, files, size), empty when absent.
    public func describe(_ repo: HubRepoID) -> CachedModel {
        let directory = repositoryDirectory(for: repo)
        let (refsByCommit, malformedRefs) = readRefs(in: directory.appendingPathComponent("refs", isDirectory: true))
        let snapshots = directory.appendingPathComponent("snapshots", isDirectory: true)
        let commits = ((try? FileManager.default.contentsOfDirectory(atPath: snapshots.path)) ?? [])
            .filter(HubPathRules.isCommitHash).sorted()
        let revisions = commits.map { commit -> CachedRevision in
            let path = snapshots.appendingPathComponent(commit, isDirectory: true)
            let files = relativeFiles(under: path)
            var revision = CachedRevision(
                commit: commit, refs: (refsByCommit[commit] ?? []).sorted(), files: files, path: path)
            revision.unusableFiles = files.compactMap { Self.unusable(path.appendingPathComponent($0), name: $0) }
            revision.missingFiles = ModelLocator.requiredFiles.filter { !files.contains($0) }
            return revision
        }
        var model = CachedModel(
            repoID: repo.description, path: directory,
            sizeOnDisk: contentBytes(
                blobs: directory.appendingPathComponent("blobs", isDirectory: true),
                snapshotFiles: revisions.flatMap { revision in revision.files.map { revision.path.appendingPathComponent($0) } }),
            revisions: revisions)
        model.malformedRefs = malformedRefs
        return model
    }

    /// The refs by the commit they name, and the refs that name none, in words.
    private func readRefs(in refsDirectory: URL) -> (byCommit: [String: [String]], malformed: [String]) {
        var byCommit: [String: [String]] = [:]
        var malformed: [String] = []
        for name in relativeFiles(under: refsDirectory) {
            let data: Data
            do {
                guard let read = try Self.readCacheFile(
                    refsDirectory.appendingPathComponent(name), what: "the ref \(name)", limit: Self.refSizeLimit)
                else { continue }
                data = read
            } catch {
                malformed.append("refs/\(name) cannot be read (a link to nowhere, or not a small regular file)")
                continue
            }
            let commit = Self.refText(data)
            guard HubPathRules.isCommitHash(commit) else {
                let shown = commit.count > 60 ? String(commit.prefix(60)) + "…" : commit
                malformed.append("refs/\(name) holds '\(shown)', not a 40-character commit hash")
                continue
            }
            byCommit[commit, default: []].append(name)
        }
        return (byCommit, malformed)
    }

    /// Why a snapshot file cannot be read ("vocab.json missing (a link to a missing blob)"), nil when it can: `stat`
    /// follows links, so a link to nothing, a loop of links, a FIFO or a device is caught here.
    static func unusable(_ url: URL, name: String) -> String? {
        var status = stat()
        if stat(url.path, &status) == 0 {
            switch status.st_mode & S_IFMT {
            case S_IFREG: return nil
            case S_IFDIR: return "\(name) is a folder, not a file"
            case S_IFIFO: return "\(name) is a FIFO, not a file"
            default: return "\(name) is a device or socket, not a file"
            }
        }
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: url.path) else {
            return "\(name) cannot be read"
        }
        let resolved = URL(fileURLWithPath: target, relativeTo: url.deletingLastPathComponent()).path
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: resolved)) != nil {
            return "\(name) missing (a link to a link that leads nowhere, or a loop)"
        }
        let blob = URL(fileURLWithPath: target).deletingLastPathComponent().lastPathComponent == "blobs"
        return "\(name) missing (a link to a missing \(blob ? "blob" : "file"))"
    }

    /// Why each of `names` in `directory` that is there, links followed, but is a FIFO, a device or a socket cannot be
    /// read, in ``unusable(_:name:)``'s words: no download makes one, so the folder was tampered with. Links to nothing
    /// or to a folder are left to ``HubError/danglingLinks``.
    static func nonRegularFiles(in directory: URL, names: [String]) -> [(name: String, reason: String)] {
        names.compactMap { name in
            let url = directory.appendingPathComponent(name)
            var status = stat()
            guard stat(url.path, &status) == 0, (status.st_mode & S_IFMT) != S_IFDIR,
                let reason = unusable(url, name: name)
            else { return nil }
            return (name, reason)
        }
    }

    /// Paths (relative to `directory`) of the files and symlinks under it, hidden temporaries excluded.
    private func relativeFiles(under directory: URL) -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: directory.path) else { return [] }
        var files: [String] = []
        while let relative = enumerator.nextObject() as? String {
            let type = enumerator.fileAttributes?[.type] as? FileAttributeType
            let name = PathText.lastComponent(of: relative)
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
