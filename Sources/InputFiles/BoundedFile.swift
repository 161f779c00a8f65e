import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads input files safely: regular files only, of a bounded size, with "permission denied" told apart
/// from a missing file. The one implementation behind every reader of biasaudit's inputs (`InputFile` in
/// AuditResults for prompt sets, policies, results and model files; the Hub cache's refs and blobs).
///
/// FIFOs, devices, sockets, directories and the kernel's pseudo-files (`/proc`, `/sys`) are refused before
/// a byte is read, so that neither a hang (a FIFO with no writer) nor a secret (`/proc/self/environ`
/// quoted back in an error message) can come from naming the wrong file. Callers turn a
/// ``BoundedFileError`` into their own error type with ``BoundedFileError/reason(what:)`` and
/// ``BoundedFileError/isBadData``.
public enum BoundedFile {
    /// Reads a whole file.
    /// - Parameters:
    ///   - path: the file (symlinks are followed to a regular file).
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the file's bytes.
    /// - Throws: ``BoundedFileError``.
    public static func read(_ path: String, limit: Int) throws -> Data {
        let descriptor = try open(path)
        defer { close(descriptor) }
        let size = try checkedSize(descriptor, limit: limit)
        var data = Data(count: min(size, limit) + 1)
        var filled = 0
        while true {
            if filled == data.count {
                guard data.count <= limit else { throw BoundedFileError.tooLarge(size: nil, limit: limit) }
                data.count = min(data.count * 2, limit + 1)
            }
            let count = try readSome(descriptor, into: &data, at: filled)
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }

    /// Reads the first bytes of a file after the same checks, whatever its size (to tell what a file too large to
    /// read is).
    /// - Parameters:
    ///   - path: the file.
    ///   - count: the most bytes read.
    /// - Returns: the first `count` bytes, or all of a shorter file.
    /// - Throws: ``BoundedFileError``.
    public static func readHead(_ path: String, count: Int) throws -> Data {
        let descriptor = try open(path)
        defer { close(descriptor) }
        _ = try checkedSize(descriptor, limit: .max)
        var data = Data(count: count)
        var filled = 0
        while filled < count {
            let read = try readSome(descriptor, into: &data, at: filled)
            if read == 0 { break }
            filled += read
        }
        data.count = filled
        return data
    }

    /// One `read(2)` into `data` from byte `offset` to its end, again when a signal interrupted it.
    /// - Returns: the bytes read, 0 at the end of the file.
    /// - Throws: ``BoundedFileError/readFailed(_:)``.
    private static func readSome(_ descriptor: Int32, into data: inout Data, at offset: Int) throws -> Int {
        while true {
            let count = data.withUnsafeMutableBytes { buffer in
                systemRead(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if count >= 0 { return count }
            if errno != EINTR { throw BoundedFileError.readFailed(errorText(errno)) }
        }
    }

    /// Checks that a file can be used as an input without reading it (a model's weights, which are mapped).
    /// - Parameters:
    ///   - path: the file.
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the file's size in bytes.
    /// - Throws: ``BoundedFileError``.
    @discardableResult
    public static func check(_ path: String, limit: Int = .max) throws -> Int {
        let descriptor = try open(path)
        defer { close(descriptor) }
        return try checkedSize(descriptor, limit: limit)
    }

    /// Opens a file for reading after the same checks (for readers that stream a large file in chunks,
    /// such as hashing a cached blob); the caller closes the descriptor.
    /// - Returns: the descriptor and the file's size in bytes.
    /// - Throws: ``BoundedFileError``.
    public static func openChecked(_ path: String, limit: Int = .max) throws -> (descriptor: Int32, size: Int) {
        let descriptor = try open(path)
        do {
            return (descriptor, try checkedSize(descriptor, limit: limit))
        } catch {
            close(descriptor)
            throw error
        }
    }

    /// Whether a file exists, telling a missing file from one that cannot be looked at.
    /// - Returns: `false` when there is no such file.
    /// - Throws: ``BoundedFileError/searchDenied`` when the file or a folder on its path may not be
    ///   searched (a missing file would be the wrong diagnosis), ``BoundedFileError/inspectFailed(_:)`` else.
    public static func exists(_ path: String) throws -> Bool {
        var status = stat()
        if stat(path, &status) == 0 { return true }
        let code = errno
        switch code {
        case ENOENT, ENOTDIR: return false
        case EACCES, EPERM: throw BoundedFileError.searchDenied
        case ELOOP: throw BoundedFileError.symbolicLinkLoop
        default: throw BoundedFileError.inspectFailed(errorText(code))
        }
    }

    /// The first folder on the way to `path` that this process may not search (`access(2)` with `X_OK`
    /// fails with `EACCES`/`EPERM`), from the root (or, for a relative path, the current folder) down;
    /// nil when every folder may be searched. Names the folder behind ``BoundedFileError/searchDenied``.
    public static func firstUnsearchableFolder(of path: String) -> String? {
        var folder = path.hasPrefix("/") ? "/" : "."
        for component in path.split(separator: "/", omittingEmptySubsequences: true).dropLast() {
            folder = folder == "/" ? "/" + component : folder + "/" + component
            if access(folder, X_OK) != 0, errno == EACCES || errno == EPERM { return folder }
        }
        return nil
    }

    private static func open(_ path: String) throws -> Int32 {
        // O_NONBLOCK: opening a FIFO with no writer must not hang before the type check refuses it.
        let descriptor = systemOpen(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EACCES, EPERM: throw BoundedFileError.permissionDenied
            case ENOENT, ENOTDIR: throw BoundedFileError.notFound
            case ELOOP: throw BoundedFileError.symbolicLinkLoop
            default: throw BoundedFileError.openFailed(errorText(code))
            }
        }
        return descriptor
    }

    private static func checkedSize(_ descriptor: Int32, limit: Int) throws -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw BoundedFileError.inspectFailed(errorText(errno)) }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else { throw BoundedFileError.notRegular(describe(type)) }
        if isKernelFileSystem(status) { throw BoundedFileError.kernelFile }
        let size = Int(status.st_size)
        guard size <= limit else { throw BoundedFileError.tooLarge(size: size, limit: limit) }
        return size
    }

    /// Whether the file lives on the file system of `/proc` or `/sys` (the kernel's pseudo-files, which
    /// report a size of 0 and may hold secrets such as `/proc/self/environ`).
    private static func isKernelFileSystem(_ status: stat) -> Bool {
        ["/proc", "/sys"].contains { root in
            var rootStatus = stat()
            return stat(root, &rootStatus) == 0 && rootStatus.st_dev == status.st_dev
        }
    }

    private static func describe(_ type: mode_t) -> String {
        switch type {
        case S_IFIFO: "a FIFO (named pipe)"
        case S_IFCHR: "a character device"
        case S_IFBLK: "a block device"
        case S_IFSOCK: "a socket"
        case S_IFDIR: BoundedFileError.directoryKind
        default: "a special file"
        }
    }

    private static func errorText(_ code: Int32) -> String { String(cString: strerror(code)) }

    private static func systemOpen(_ path: String, _ flags: Int32) -> Int32 {
        #if canImport(Glibc)
            Glibc.open(path, flags)
        #else
            Darwin.open(path, flags)
        #endif
    }

    private static func systemRead(_ descriptor: Int32, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
            Glibc.read(descriptor, buffer, count)
        #else
            Darwin.read(descriptor, buffer, count)
        #endif
    }
}

/// Why ``BoundedFile`` refused or could not read a file. ``reason(what:)`` words it for a message;
/// ``isBadData`` says whether it is the file's fault (exit 65) or an I/O failure (exit 74).
public enum BoundedFileError: Error, Equatable, Sendable {
    /// The file may not be opened (`EACCES`/`EPERM`).
    case permissionDenied
    /// A folder on the path may not be searched.
    case searchDenied
    /// No such file.
    case notFound
    /// Opening failed for another reason (the system's words).
    case openFailed(String)
    /// Reading failed (the system's words).
    case readFailed(String)
    /// `stat`/`fstat` failed for another reason (the system's words).
    case inspectFailed(String)
    /// Not a regular file: what it is ("a FIFO (named pipe)", "a character device", …).
    case notRegular(String)
    /// A file of `/proc` or `/sys`.
    case kernelFile
    /// A symbolic link that leads back to itself (`ELOOP`): the file's fault, not an I/O failure.
    case symbolicLinkLoop
    /// Larger than `limit` bytes (`size` when known before reading).
    case tooLarge(size: Int?, limit: Int)

    /// How ``notRegular(_:)`` names a directory.
    public static let directoryKind = "a directory"

    /// True when the file itself is unusable (not a regular file, too large): bad input data, exit 65.
    /// False for an I/O failure (permission, missing file, read error): exit 74.
    public var isBadData: Bool {
        switch self {
        case .notRegular, .kernelFile, .tooLarge, .symbolicLinkLoop: true
        case .permissionDenied, .searchDenied, .notFound, .openFailed, .readFailed, .inspectFailed: false
        }
    }

    /// What went wrong and what to do, naming the file as `what` ("the prompt set"). `remedy` replaces "name a
    /// regular file" for a file the user did not name (a run's completions.jsonl found beside its results.json);
    /// `ifMissing` replaces "check the path" after "no such file" (the prompt sets beside a misspelt one, what a
    /// missing baseline is).
    public func reason(what: String, remedy: String? = nil, ifMissing: String? = nil) -> String {
        switch self {
        case .permissionDenied:
            "cannot read \(what): permission denied; check the file's permissions (and those of its folders) or "
                + "run as a user who may read it"
        case .searchDenied:
            "permission denied: cannot look at \(what); check the permissions of the file and its folders"
        case .notFound:
            "cannot read \(what): no such file; \(ifMissing ?? "check the path")"
        case .openFailed(let detail):
            "cannot open \(what) (\(detail))"
        case .readFailed(let detail):
            "cannot read \(what) (\(detail))"
        case .inspectFailed(let detail):
            "cannot inspect \(what) (\(detail))"
        case .notRegular(let kind):
            // The FIFO note only where it explains the refusal (a review: a directory was told of FIFOs and sockets).
            "\(what) is \(kind), not a regular file; \(remedy ?? "name a regular file")"
                + (kind == Self.directoryKind ? "" : " (biasaudit never reads FIFOs, devices or sockets as input)")
        case .symbolicLinkLoop:
            "\(what) is a symbolic link that leads in a loop (too many levels of symbolic links); "
                + (remedy ?? "make it point at a real file")
        case .kernelFile:
            "\(what) is a kernel pseudo-file (/proc or /sys), not a regular file; \(remedy ?? "name a regular file")"
        case .tooLarge(let size, let limit):
            "\(what) is \(size.map { "\($0) bytes, more than" } ?? "larger than") the limit of \(limit) bytes "
                + "(README, \"Limits\"); is this the right file?"
        }
    }
}
