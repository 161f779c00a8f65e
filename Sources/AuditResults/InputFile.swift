import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The one way biasaudit reads an input file (prompt sets, policies, results, completions, model
/// configuration, vocabularies, templates): a regular file, named through any symlinks, of a bounded size.
///
/// FIFOs, devices, sockets, directories and the kernel's pseudo-files (`/proc`, `/sys`) are refused before
/// a byte is read, so that neither a hang (a FIFO with no writer) nor a secret (`/proc/self/environ`
/// quoted back in an error message) can come from naming the wrong file. Every refusal says what the file
/// was, where, and what to do.
public enum InputFile {
    /// The size limits of the kinds of input (README, "Limits").
    public enum Limit {
        /// A prompt set or a policy (YAML), a Mustache template, a tokenizer configuration.
        public static let text = 8 << 20
        /// `config.json` of a model.
        public static let configuration = 1 << 20
        /// `vocab.json`, `merges.txt`, `vocab.txt`, a lexicon.
        public static let vocabulary = 64 << 20
        /// `results.json`, `completions.jsonl` and other JSON Lines inputs.
        public static let results = 1 << 30
    }

    /// Reads a whole input file.
    /// - Parameters:
    ///   - url: the file.
    ///   - path: the path as the user named it, for messages (defaults to `url.path`).
    ///   - what: what the file is, for messages ("the prompt set").
    ///   - limit: the largest size accepted, in bytes.
    /// - Returns: the file's bytes.
    /// - Throws: ``AuditError/badInput(path:reason:)`` for a file that is not a regular file or is too large
    ///   (exit 65); ``AuditError/io(path:reason:)`` for one that cannot be opened or read (exit 74).
    public static func read(_ url: URL, path: String? = nil, what: String, limit: Int) throws -> Data {
        let shown = path ?? url.path
        let descriptor = try open(url, path: shown, what: what)
        defer { close(descriptor) }
        let size = try checkedSize(descriptor, path: shown, what: what, limit: limit)
        var data = Data(count: min(size, limit) + 1)
        var filled = 0
        while true {
            if filled == data.count {
                guard data.count <= limit else { throw tooLarge(path: shown, what: what, limit: limit) }
                data.count = min(data.count * 2, limit + 1)
            }
            let count = data.withUnsafeMutableBytes { buffer in
                Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw AuditError.io(path: shown, reason: "cannot read \(what) (\(String(cString: strerror(errno))))")
            }
            if count == 0 { break }
            filled += count
        }
        data.count = filled
        return data
    }

    /// Checks that a file can be used as an input without reading it (a model's weights, which are mapped).
    /// - Returns: the file's size in bytes.
    /// - Throws: as ``read(_:path:what:limit:)``.
    @discardableResult
    public static func check(_ url: URL, path: String? = nil, what: String, limit: Int = .max) throws -> Int {
        let shown = path ?? url.path
        let descriptor = try open(url, path: shown, what: what)
        defer { close(descriptor) }
        return try checkedSize(descriptor, path: shown, what: what, limit: limit)
    }

    /// Whether a file exists, telling a missing file from one that cannot be looked at.
    /// - Returns: `false` when there is no such file.
    /// - Throws: ``AuditError/io(path:reason:)`` saying "permission denied" when the file or a folder on its
    ///   path may not be searched (a missing file would be the wrong diagnosis).
    public static func exists(_ url: URL, path: String? = nil, what: String) throws -> Bool {
        var status = stat()
        if stat(url.path, &status) == 0 { return true }
        let code = errno
        switch code {
        case ENOENT, ENOTDIR: return false
        case EACCES, EPERM:
            throw AuditError.io(path: path ?? url.path, reason: "permission denied: cannot look at \(what); check "
                + "the permissions of the file and its folders")
        default:
            throw AuditError.io(path: path ?? url.path, reason: "cannot look at \(what) (\(String(cString: strerror(code))))")
        }
    }

    private static func open(_ url: URL, path: String, what: String) throws -> Int32 {
        // O_NONBLOCK: opening a FIFO with no writer must not hang before the type check refuses it.
        let descriptor = Glibc.open(url.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            switch code {
            case EACCES, EPERM:
                throw AuditError.io(path: path, reason: "cannot read \(what): permission denied; check the file's "
                    + "permissions (and those of its folders) or run as a user who may read it")
            case ENOENT, ENOTDIR:
                throw AuditError.io(path: path, reason: "cannot read \(what): no such file; check the path")
            default:
                throw AuditError.io(path: path, reason: "cannot open \(what) (\(String(cString: strerror(code))))")
            }
        }
        return descriptor
    }

    private static func checkedSize(_ descriptor: Int32, path: String, what: String, limit: Int) throws -> Int {
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            throw AuditError.io(path: path, reason: "cannot inspect \(what) (\(String(cString: strerror(errno))))")
        }
        let type = status.st_mode & S_IFMT
        guard type == S_IFREG else {
            throw AuditError.badInput(path: path, reason: "\(what) is \(describe(type)), not a regular file; "
                + "name a regular file (biasaudit never reads FIFOs, devices or sockets as input)")
        }
        if isKernelFileSystem(status) {
            throw AuditError.badInput(path: path, reason: "\(what) is a kernel pseudo-file (/proc or /sys), not a "
                + "regular file; name a regular file")
        }
        let size = Int(status.st_size)
        guard size <= limit else { throw tooLarge(path: path, what: what, limit: limit, size: size) }
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
        case S_IFDIR: "a directory"
        default: "a special file"
        }
    }

    private static func tooLarge(path: String, what: String, limit: Int, size: Int? = nil) -> AuditError {
        let found = size.map { "\($0) bytes, more than" } ?? "larger than"
        return AuditError.badInput(path: path, reason: "\(what) is \(found) the limit of \(limit) bytes "
            + "(README, \"Limits\"); is this the right file?")
    }
}
