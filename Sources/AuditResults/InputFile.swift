import Foundation
import InputFiles

/// The one way biasaudit reads an input file (prompt sets, policies, results, completions, model
/// configuration, vocabularies, templates): a regular file, named through any symlinks, of a bounded size.
///
/// FIFOs, devices, sockets, directories and the kernel's pseudo-files (`/proc`, `/sys`) are refused before
/// a byte is read, so that neither a hang (a FIFO with no writer) nor a secret (`/proc/self/environ`
/// quoted back in an error message) can come from naming the wrong file. Every refusal says what the file
/// was, where, and what to do. The checks themselves are ``BoundedFile``'s (target `InputFiles`), which the
/// Hub cache uses too; this type words their failures as ``AuditError``s.
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
    ///   - remedy: what to do about a file that is not a regular file, for one the user did not name (default: "name
    ///     a regular file").
    ///   - ifMissing: what to do about a file that does not exist (default: "check the path").
    /// - Returns: the file's bytes.
    /// - Throws: ``AuditError/badInput(path:reason:)`` for a file that is not a regular file or is too large
    ///   (exit 65); ``AuditError/io(path:reason:)`` for one that cannot be opened or read (exit 74).
    ///   A file of another format than any input (an SQLite database: ``foreignFormat(of:)``) is refused as bad data,
    ///   saying what it is, also when it is larger than `limit`.
    public static func read(
        _ url: URL, path: String? = nil, what: String, limit: Int, remedy: String? = nil, ifMissing: String? = nil
    ) throws -> Data {
        let shown = path ?? url.path
        let data: Data
        do {
            data = try BoundedFile.read(url.path, limit: limit)
        } catch BoundedFileError.tooLarge(let size, let limit) {
            // A run's store outgrows a policy's or a prompt set's limit: its kind says more than its size.
            if let head = try? BoundedFile.readHead(url.path, count: 64), let refusal = refusal(head, what: what) {
                throw AuditError.badInput(path: shown, reason: refusal)
            }
            throw auditError(.tooLarge(size: size, limit: limit), path: shown, what: what, remedy: remedy)
        } catch BoundedFileError.notFound where (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
            // A link that leads nowhere is there (a hostile review: "no such file; check the path" beside `ls` showing
            // it): said as what it is, as the run store and a run's completions.jsonl say it.
            throw danglingLink(url, path: shown, what: what)
        } catch let error as BoundedFileError {
            throw auditError(error, path: shown, what: what, remedy: remedy, ifMissing: ifMissing)
        }
        if let refusal = refusal(data, what: what) { throw AuditError.badInput(path: shown, reason: refusal) }
        return data
    }

    /// What a file is when it is of a binary format no input of biasaudit has, recognised by its first bytes; nil when
    /// it may be text. The one place such recognition lives: every reader of results, completions, policies, prompt
    /// sets and model text files goes through ``read(_:path:what:limit:remedy:)``, which refuses such a file with it
    /// (a review: `diff A/results.json B/run.sqlite` was told of "a NUL byte … save a UTF-16 file as UTF-8").
    public static func foreignFormat(of data: Data) -> String? {
        // https://www.sqlite.org/fileformat.html, 1.3: every database file begins with these 16 bytes.
        if data.starts(with: Array("SQLite format 3\u{0}".utf8)) {
            return "an SQLite database (biasaudit's run store, \(AuditJSON.runStoreFileName), or another)"
        }
        return nil
    }

    /// The refusal of a file of a foreign format given as `what`, with what to give instead.
    /// Where a results or completions file is wanted, the run's folder is said to hold it beside the store; anything else
    /// wanted is a text file, and the path is to be checked (review: "not the policy file: give the policy file
    /// instead (a run's folder holds its results.json …)" went in a circle and spoke of results to a policy).
    private static func refusal(_ data: Data, what: String) -> String? {
        foreignFormat(of: data).map { kind in
            let runOutput = what.contains("results") || what.contains("completions")
            return "this is \(kind), not \(what): "
                + (runOutput
                    ? "a run's folder holds its results.json and completions.jsonl beside \(AuditJSON.runStoreFileName); give one of those"
                    : "\(what) is a text file; check the path")
        }
    }

    /// Checks that a file can be used as an input without reading it (a model's weights, which are mapped).
    /// - Returns: the file's size in bytes.
    /// - Throws: as ``read(_:path:what:limit:)``.
    @discardableResult
    public static func check(_ url: URL, path: String? = nil, what: String, limit: Int = .max) throws -> Int {
        try mapped(path ?? url.path, what: what) { try BoundedFile.check(url.path, limit: limit) }
    }

    /// Whether a file exists, telling a missing file from one that cannot be looked at.
    /// - Returns: `false` when there is no such file.
    /// - Throws: ``AuditError/io(path:reason:)`` saying "permission denied" when the file or a folder on its
    ///   path may not be searched (a missing file would be the wrong diagnosis).
    public static func exists(_ url: URL, path: String? = nil, what: String, remedy: String? = nil) throws -> Bool {
        try mapped(path ?? url.path, what: what, remedy: remedy) { try BoundedFile.exists(url.path) }
    }

    /// ``exists(_:path:what:remedy:)``, with a symbolic link that leads nowhere refused as what it is instead of read
    /// as no file (a hostile review: `analyze` said "no such file" beside `ls` showing the link).
    /// - Returns: `false` when there is no such file and no link by its name.
    /// - Throws: as ``exists(_:path:what:remedy:)``; ``AuditError/io(path:reason:)`` for a link to a missing file.
    public static func present(_ url: URL, path: String? = nil, what: String, remedy: String? = nil) throws -> Bool {
        if try exists(url, path: path, what: what, remedy: remedy) { return true }
        if (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) != nil {
            throw danglingLink(url, path: path ?? url.path, what: what, remedy: remedy)
        }
        return false
    }

    /// The refusal of `url`, a symbolic link to a file that does not exist, naming its target (cut to 120 characters).
    /// `remedy`: what to do instead of "make it point at the file, or give the file itself".
    private static func danglingLink(_ url: URL, path: String, what: String, remedy: String? = nil) -> AuditError {
        let target = (try? FileManager.default.destinationOfSymbolicLink(atPath: url.path)) ?? ""
        return .io(path: path, reason: "\(what) is a symbolic link to a file that does not exist ('"
            + "\(AuditJSON.shortExcerpt(target, limit: 120))'); \(remedy ?? "make it point at the file, or give the file itself")")
    }

    /// The ``AuditError`` of a ``BoundedFileError``: bad data (65) or I/O (74), with the same words.
    private static func auditError(
        _ error: BoundedFileError, path: String, what: String, remedy: String?, ifMissing: String? = nil
    ) -> AuditError {
        let reason = error.reason(what: what, remedy: remedy, ifMissing: ifMissing)
        return error.isBadData ? .badInput(path: path, reason: reason) : .io(path: path, reason: reason)
    }

    private static func mapped<T>(_ path: String, what: String, remedy: String? = nil, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as BoundedFileError {
            throw auditError(error, path: path, what: what, remedy: remedy)
        }
    }
}
