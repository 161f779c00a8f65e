import AuditResults
import Foundation
import InputFiles
import PromptSets
#if canImport(Glibc)
    import Glibc
#endif

/// Writes output files atomically (a crash never leaves a half-written `results.json`), and only over
/// regular files: the temporary-file-and-rename write would otherwise replace a device (`/dev/full`,
/// `/dev/null`), a FIFO or a symbolic link with a regular file — as root, a broken `/dev`.
public enum OutputFiles {
    /// Writes `data` to `url` through a temporary file and a rename.
    /// - Parameters:
    ///   - data: the bytes.
    ///   - url: the output file.
    ///   - what: what is written, for messages ("the JUnit XML report").
    ///   - option: the option that names the file, for the advice of a failed write.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when `url` exists and is not a regular file;
    ///   ``AuditError/io(path:reason:)`` (exit 74) when the write fails.
    public static func write(_ data: Data, to url: URL, what: String = "the file", option: String = "--out") throws {
        try checkTarget(url)
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw AuditError.io(path: url.path, reason: "cannot write \(what): \(FileWriteFailure.reason(error, writing: url, option: option))")
        }
    }

    /// One file of a set written by ``writeAll(_:completionsKeptIn:)``.
    public struct Pending {
        /// The bytes.
        public var data: Data
        /// The output file.
        public var url: URL
        /// What is written, for messages ("the report").
        public var what: String

        /// Creates a pending file.
        public init(_ data: Data, to url: URL, what: String) {
            self.data = data
            self.url = url
            self.what = what
        }
    }

    /// Writes several files as one set: each to a new temporary file beside it, then every one renamed into place.
    /// A write that fails (a full disk) removes the temporary files and leaves the previous files as they were,
    /// so an output folder never mixes a new `results.json` with the reports of an earlier analysis; renames take
    /// no space. A rename that fails (a file of another user in a folder with the sticky bit, an immutable file) puts
    /// back the files the renames before it replaced, from hard links made before the renames, and removes the new
    /// ones that had no earlier file (a hostile review: report.html of one audit was left beside the results.json of
    /// another); a file that could not be put back is named in the error.
    /// Temporary files of an earlier write of the same names that a `kill -9` or a second Ctrl-C left behind
    /// (``leftoverAge``) are removed first.
    /// - Parameters:
    ///   - files: the files, written in this order.
    ///   - store: the run store that keeps the completions the files come from, for the advice of a failed write
    ///     (``FileWriteFailure/reason(_:creating:writing:option:completionsKeptIn:)``), or nil.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when a target exists and is not a regular file (nothing is
    ///   written); ``AuditError/io(path:reason:)`` (exit 74) when a write or rename fails.
    public static func writeAll(_ files: [Pending], completionsKeptIn store: URL? = nil) throws {
        try writeAll(files, completionsKeptIn: store, renaming: { rename($0, $1) }, linking: { link($0, $1) })
    }

    /// ``writeAll(_:completionsKeptIn:)`` with the rename of each file into place and the hard link that keeps the file
    /// it replaces given (`rename(2)`, `link(2)`; tests make them fail).
    static func writeAll(
        _ files: [Pending], completionsKeptIn store: URL?, renaming: (_ from: String, _ to: String) -> Int32,
        linking: (_ existing: String, _ new: String) -> Int32
    ) throws {
        for file in files { try checkTarget(file.url) }
        removeLeftovers(of: files.map(\.url))
        var temporaries: [URL] = []
        func removeTemporaries() { for temporary in temporaries { unlink(temporary.path) } }
        for file in files {
            let temporary = file.url.deletingLastPathComponent()
                .appendingPathComponent(".\(file.url.lastPathComponent).\(UUID().uuidString).partial")
            do {
                // A new file (O_EXCL): nothing already at that name, a link least of all, is written through.
                try file.data.write(to: temporary, options: .withoutOverwriting)
            } catch {
                // Worded before anything is removed: a device out of inodes has some again once the temporaries are
                // gone, and was told "no space left" (a hostile review).
                let reason = FileWriteFailure.reason(error, writing: file.url, completionsKeptIn: store)
                unlink(temporary.path)  // what a full disk left of it (the UUID name is ours alone)
                removeTemporaries()
                throw AuditError.io(path: file.url.path, reason: "cannot write \(file.what): " + reason)
            }
            temporaries.append(temporary)
        }
        // The files the renames replace, kept as hard links until every rename is done (no space taken).
        let previous: [URL?] = files.map { file in
            let backup = file.url.deletingLastPathComponent()
                .appendingPathComponent(".\(file.url.lastPathComponent).\(UUID().uuidString).previous")
            return linking(file.url.path, backup.path) == 0 ? backup : nil
        }
        let existed = files.map { FileManager.default.fileExists(atPath: $0.url.path) }
        defer { for backup in previous.compactMap({ $0 }) { unlink(backup.path) } }
        for (index, (temporary, file)) in zip(temporaries, files).enumerated() where renaming(temporary.path, file.url.path) != 0 {
            let code = errno
            removeTemporaries()
            // Back to the earlier set: each file replaced before this one from its link, each new one removed.
            var lost: [String] = []
            for done in 0..<index {
                if let backup = previous[done] {
                    if rename(backup.path, files[done].url.path) != 0 { lost.append(files[done].url.lastPathComponent) }
                } else if existed[done] {
                    lost.append(files[done].url.lastPathComponent)
                } else {
                    unlink(files[done].url.path)
                }
            }
            let advice = code == EACCES || code == EPERM
                ? "check that you may replace it (a file of another user in a folder with the sticky bit, or an immutable "
                    + "file, cannot be) and its folder's permissions, then run the command again"
                : "run the command again"
            throw AuditError.io(
                path: file.url.path,
                reason: "cannot write \(file.what) (\(String(cString: strerror(code)))); "
                    + (lost.isEmpty
                        ? "the folder's files are as they were; "
                        : "\(lost.joined(separator: ", ")) already replaced and could not be put back, so the folder mixes "
                            + "two sets of files; ")
                    + advice + (store.map(FileWriteFailure.resumeAdvice(store:)) ?? ""))
        }
    }

    /// How old a temporary file of ``writeAll(_:completionsKeptIn:)`` must be to count as left behind, in seconds: a write of the same
    /// folder in progress (another command writing there now) is younger, since its temporaries live for the seconds
    /// the files take to write.
    static let leftoverAge: TimeInterval = 15 * 60

    /// Removes the temporary files ``writeAll(_:completionsKeptIn:)`` names `.<name>.<UUID>.partial` beside each of `urls` that are
    /// regular files older than ``leftoverAge``: what a write stopped between its temporaries and its renames (`kill
    /// -9`, a second Ctrl-C, a crash) left; a hidden `.completions.jsonl.….partial` could hold hundreds of megabytes
    /// (a review). So are the hard links to replaced files it names `.<name>.<UUID>.previous`, aged by their status
    /// change (the link's making: they keep the replaced file's old mtime, and a write in progress elsewhere must keep
    /// them; a code review). Anything else, and anything that cannot be listed or removed, is left as it is.
    static func removeLeftovers(of urls: [URL]) {
        let byFolder = Dictionary(grouping: urls) { $0.deletingLastPathComponent().path }
        for (folder, targets) in byFolder {
            let names = Set(targets.map(\.lastPathComponent))
            guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { continue }
            let now = Date().timeIntervalSince1970
            for entry in entries where entry.hasPrefix(".") && (entry.hasSuffix(".partial") || entry.hasSuffix(".previous")) {
                // ".<name>.<36-character UUID>.partial" (or ".previous")
                let link = entry.hasSuffix(".previous")
                let inner = entry.dropFirst().dropLast(link ? ".previous".count : ".partial".count)
                guard inner.count > 37, let dot = inner.index(inner.endIndex, offsetBy: -37, limitedBy: inner.startIndex),
                    inner[dot] == ".", UUID(uuidString: String(inner[inner.index(after: dot)...])) != nil,
                    names.contains(String(inner[..<dot]))
                else { continue }
                let path = (folder as NSString).appendingPathComponent(entry)
                var status = stat()
                guard lstat(path, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
                    now - TimeInterval(link ? status.st_ctim.tv_sec : status.st_mtim.tv_sec) > leftoverAge
                else { continue }
                unlink(path)
            }
        }
    }

    /// The size of the regular file at `url` and whether it ends with a line break; nil when it does not exist or is not
    /// a regular file (which ``append(_:to:what:)`` then refuses). Never opens anything else (a FIFO would block).
    public static func regularFileEnd(_ url: URL) -> (size: Int, endsWithLineBreak: Bool)? {
        var status = stat()
        guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return nil }
        let size = Int(status.st_size)
        guard size > 0 else { return (0, true) }
        let descriptor = open(url.path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else { return (size, true) }
        defer { close(descriptor) }
        var last: UInt8 = 0
        guard pread(descriptor, &last, 1, off_t(size - 1)) == 1 else { return (size, true) }
        return (size, last == UInt8(ascii: "\n"))
    }

    /// Appends `data` to the regular file at `url`, creating it when it does not exist (the GitHub step
    /// summary, which the runner creates and several steps append to). Opened with `O_NOFOLLOW` and
    /// `O_NONBLOCK` and checked with `fstat` on the open file, so a symbolic link, a FIFO (no hang without
    /// a reader) or a device in its place is refused, never written.
    /// - Parameters:
    ///   - data: the bytes.
    ///   - url: the file.
    ///   - what: what is written, for messages ("the GitHub step summary (GITHUB_STEP_SUMMARY)").
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when `url` is not a regular file;
    ///   ``AuditError/io(path:reason:)`` (exit 74) when it cannot be opened or written.
    public static func append(_ data: Data, to url: URL, what: String) throws {
        let descriptor = open(url.path, O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case ELOOP: throw refusal(url, kind: "a symbolic link", what: what)
            case ENXIO: throw refusal(url, kind: "a FIFO", what: what)  // a FIFO without a reader
            case EISDIR: throw refusal(url, kind: "a folder", what: what)
            case EACCES, EPERM:
                throw AuditError.io(path: url.path, reason: "cannot write \(what): permission denied; check the "
                    + "permissions of the file and its folder")
            case ENOENT, ENOTDIR:
                // Practitioner's review: "(No such file or directory)" without advice.
                throw AuditError.io(path: url.path, reason: "cannot open \(what): its folder "
                    + "\(url.deletingLastPathComponent().path) does not exist; create it or give a path in an existing folder")
            default:
                throw AuditError.io(path: url.path, reason: "cannot open \(what) (\(String(cString: strerror(code)))); give "
                    + "the path of a regular file in a writable folder")
            }
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AuditError.io(path: url.path, reason: "cannot inspect \(what) (\(String(cString: strerror(errno))))")
        }
        let kind = status.st_mode & S_IFMT
        guard kind == S_IFREG else { throw refusal(url, kind: name(of: kind), what: what) }
        // What the file held before: a write that fails part-way (a full disk) is cut back to it, so that the file
        // never ends in half a table (a hostile review of the step summary).
        let before = status.st_size
        var written = 0
        while written < data.count {
            let count = data.withUnsafeBytes { buffer in
                Glibc.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                _ = ftruncate(descriptor, before)
                // The advice of every other write (review: a full disk gave only "No space left on device").
                // And advice where the file system refuses the text (a hostile review: /proc/self/status said only
                // "Invalid argument").
                let cause = code == ENOSPC || code == EDQUOT
                    ? "(" + SystemErrorCode.noSpaceWords(url.deletingLastPathComponent().path)
                        + "; free some space, then run the command again)"
                    : "(\(String(cString: strerror(code))))" + (code == EINVAL
                        ? "; give the path of a regular file on an ordinary file system, not a special one such as /proc or "
                            + "/sys" : "")
                throw AuditError.io(path: url.path, reason: "cannot write \(what) \(cause)")
            }
            written += count
        }
    }

    /// Whether `url` is a regular file (a symbolic link is not followed: it is not one), without opening it.
    public static func isRegularFile(_ url: URL) -> Bool {
        var status = stat()
        return lstat(url.path, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }

    /// Refuses an existing output path that is not a regular file (a device, a FIFO, a socket, a
    /// directory or a symbolic link, which is not followed).
    /// - Throws: ``AuditError/usage(_:)``.
    public static func checkTarget(_ url: URL) throws {
        var status = stat()
        guard lstat(url.path, &status) == 0 else { return }  // does not exist yet: fine
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFREG else { return }
        throw AuditError.usage(
            "\(url.path) is \(name(of: kind)): biasaudit writes its output files whole and would replace it; "
                + "give the path of a regular file (or of one that does not exist yet)")
    }

    /// Refuses an output folder (`--out` of `run`, `analyze`, `report`, `merge`) that exists and is not a folder: a
    /// regular file, a device such as `/dev/full`, a FIFO, a socket, or a symbolic link to one of them. The user named
    /// the wrong path, a usage error as an output file in the place of a device is (README: exit 64); a hostile review
    /// found `report --out /dev/full` exiting 74, "cannot create the output folder", where `diff --out /dev/full`
    /// exits 64. A symbolic link to a folder is followed, as before; a path through a file (`afile/sub`) is left to the
    /// writer, which says so (exit 74).
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the path, what it is, and `option`.
    public static func checkFolderTarget(_ url: URL, option: String = "--out") throws {
        var status = stat()
        guard stat(url.path, &status) == 0 else { return }  // does not exist yet, or a link to nothing: the writer says
        let kind = status.st_mode & S_IFMT
        guard kind != S_IFDIR else { return }
        var own = stat()
        let isLink = lstat(url.path, &own) == 0 && own.st_mode & S_IFMT == S_IFLNK
        let what = kind == S_IFREG ? "a file" : name(of: kind)
        throw AuditError.usage(
            "\(TextEscaping.path(url.path)) is \(isLink ? "a symbolic link to " : "")\(what), not a folder: \(option) names "
                + "the folder the outputs are written into; give a folder (or a path that does not exist yet)")
    }

    /// Refuses a default output folder that is a symbolic link. A default that lies inside a folder from elsewhere
    /// (`analyze RUN_DIR` writes to `RUN_DIR/reanalysis`) must not lead the outputs out of it: a `reanalysis`
    /// link in a copied run folder made `analyze` replace the files of whatever folder it pointed at.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) naming the link and `--out`.
    public static func checkDefaultFolder(_ url: URL) throws {
        var status = stat()
        guard lstat(url.path, &status) == 0, status.st_mode & S_IFMT == S_IFLNK else { return }
        throw AuditError.usage(
            "the default output folder \(TextEscaping.path(url.path)) is a symbolic link, which biasaudit does not write "
                + "through (it may point anywhere): remove it, or give the output folder with --out")
    }

    private static func refusal(_ url: URL, kind: String, what: String) -> AuditError {
        AuditError.usage("\(url.path) is \(kind), not a regular file: biasaudit writes \(what) only to a regular "
            + "file; point it at one (or at a path that does not exist yet)")
    }

    private static func name(of kind: mode_t) -> String {
        switch kind {
        case S_IFLNK: "a symbolic link"
        case S_IFCHR, S_IFBLK: "a device"
        case S_IFIFO: "a FIFO"
        case S_IFSOCK: "a socket"
        case S_IFDIR: "a folder"
        default: "not a regular file"
        }
    }
}
