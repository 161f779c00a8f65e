import AuditResults
import Foundation
import GRDB
import PromptSets

/// The run store: an SQLite database (WAL) in the output directory that holds every completion as
/// soon as its batch is generated, so an interrupted run loses at most the batch in flight and a
/// re-run of the same command resumes where it stopped.
///
/// The store also keeps the run's fingerprint (parameters, models, prompt-set contents): a directory
/// made by a different run is refused rather than mixed.
public final class RunStore: @unchecked Sendable {
    /// One stored completion.
    public struct StoredCompletion: Sendable, Equatable {
        /// The model id.
        public var model: String
        /// The prompt's stable id.
        public var promptID: String
        /// The sample index within the prompt (also selects the random stream).
        public var sampleIndex: Int
        /// The generated token ids (prompt excluded).
        public var tokenIDs: [Int]
        /// The decoded continuation.
        public var text: String
        /// Why generation stopped (`end_of_text`, `max_new_tokens`, `context_full`).
        public var stopReason: String
        /// The number of generated tokens: `tokenIDs.count` for the in-process engine; for a served model
        /// (whose answers carry no ids) the server's `usage.completion_tokens` when it can be attributed to
        /// this completion, else nil (unknown; `completions.jsonl` then leaves `token_count` out).
        public var tokenCount: Int?

        /// Creates a stored completion of the in-process engine: its token count is `tokenIDs.count`.
        public init(model: String, promptID: String, sampleIndex: Int, tokenIDs: [Int], text: String, stopReason: String) {
            self.init(
                model: model, promptID: promptID, sampleIndex: sampleIndex, tokenIDs: tokenIDs, text: text,
                stopReason: stopReason, tokenCount: tokenIDs.count)
        }

        /// Creates a stored completion with an explicit token count (nil: unknown, a served model's answer
        /// that cannot be attributed).
        public init(
            model: String, promptID: String, sampleIndex: Int, tokenIDs: [Int], text: String, stopReason: String,
            tokenCount: Int?
        ) {
            self.model = model
            self.promptID = promptID
            self.sampleIndex = sampleIndex
            self.tokenIDs = tokenIDs
            self.text = text
            self.stopReason = stopReason
            self.tokenCount = tokenCount
        }
    }

    /// The exact next-token pronoun probabilities of one prompt under one model.
    public struct StoredNextToken: Sendable, Equatable {
        /// The model id.
        public var model: String
        /// The prompt's stable id.
        public var promptID: String
        /// Total probability of the male pronoun tokens.
        public var maleProbability: Double
        /// Total probability of the female pronoun tokens.
        public var femaleProbability: Double

        /// Creates a record.
        public init(model: String, promptID: String, maleProbability: Double, femaleProbability: Double) {
            self.model = model
            self.promptID = promptID
            self.maleProbability = maleProbability
            self.femaleProbability = femaleProbability
        }
    }

    let database: any DatabaseWriter
    /// True for a store opened as a `merge` input (read-only): its errors advise on merging, not resuming.
    let isInput: Bool
    /// The database file.
    public let url: URL
    /// The sampling setting this view of the store reads and writes completions of (`run --sweep`); nil
    /// for the whole store. See ``scoped(toSetting:)``.
    public let setting: String?
    /// Whether the store may hold results, for the messages of a failure (a full disk on a store created
    /// by this command and still empty must not say that stored completions are kept). Shared by every view.
    let mayHoldResults: StoredResultsFlag
    /// How the fingerprint of another run differed ("models was …, now …") when this store held no completion
    /// and no next-token record at all and was therefore given this run's fingerprint instead of being refused
    /// (a run that failed before its first batch, e.g. on a damaged model file, left it: review); nil otherwise.
    /// The caller says so on standard error.
    public private(set) var replacedFingerprint: String?
    /// The keys of this run's fingerprint that the store lacked and now records, because it was written before they
    /// were part of the fingerprint (see ``Introduced``); empty otherwise. The caller says so on standard error: what
    /// such a key describes cannot be checked against the completions stored before.
    public private(set) var adoptedKeys: [String] = []

    /// Says whether a fingerprint key is one that run stores written before it existed lack (the SHA-256 of a model's
    /// configuration and tokenizer files). A store that holds no key of this kind takes this run's keys of this kind
    /// (``adoptedKeys``) instead of being refused, when everything else matches; a store holding any of them is
    /// compared on them as on every key.
    public typealias Introduced = @Sendable (_ key: String) -> Bool

    /// Decides whether a stored fingerprint value that differs from this run's describes the same completions
    /// all the same (a value in an older form), or whether a stored key that this run lacks described none of the
    /// completions: `(key, stored value, the prompt-set files the store recorded by set name)`.
    public typealias Equivalence = @Sendable (_ key: String, _ stored: String, _ recorded: [String: StoredPromptSet]) -> Bool

    /// Says in words how a stored fingerprint value differs from this run's, for the refusal's message
    /// (`(key, stored value, the prompt-set files the store recorded by set name)`); nil keeps the plain
    /// "KEY was STORED, now VALUE".
    public typealias Explanation = @Sendable (_ key: String, _ stored: String, _ recorded: [String: StoredPromptSet]) -> String?

    /// Opens (creating if needed) the store at `url` and checks that it belongs to this run.
    /// - Parameters:
    ///   - url: the database file, usually `<out>/run.sqlite`.
    ///   - fingerprint: a canonical description of everything that determines the completions.
    ///   - equivalent: accepts a stored value that differs from `fingerprint`'s (an older form of the same
    ///     description), or a stored key that `fingerprint` lacks (one that described none of the completions); an
    ///     accepted value is rewritten as `fingerprint` has it, or removed. Default: none.
    ///   - explain: words for the first differing value in the refusal. Default: none.
    ///   - introduced: keys added to the fingerprint after stores were written (``Introduced``). Default: none.
    /// - Throws: ``AuditError/runMismatch(path:reason:)`` when the store was made by a different run;
    ///   ``AuditError/badInput(path:reason:)`` (65) when `url` is not a regular file (a directory, FIFO, device,
    ///   or a symbolic link that loops), is another program's SQLite database, a run store of a newer schema,
    ///   or one holding completions without a fingerprint (edited or damaged), none of which is written to;
    ///   ``AuditError/io(path:reason:)`` when it cannot be opened.
    public init(
        url: URL, fingerprint: [String: String], equivalent: Equivalence = { _, _, _ in false },
        explain: Explanation = { _, _, _ in nil }, introduced: Introduced = { _ in false }
    ) throws {
        self.url = url
        setting = nil
        isInput = false
        var opened: DatabasePool?
        let isFile = try Self.checkPathBeforeOpening(url)
        let existed = Self.mayHoldResultsBeforeOpening(at: url)
        let holds: Bool
        do {
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            if isFile { try Self.checkExistingSchema(at: url, configuration: configuration) }
            let pool = try DatabasePool(path: url.path, configuration: configuration)
            opened = pool
            try Self.migrator.migrate(pool)
            database = pool
            // Opened: whether it holds results is known exactly (a read that fails counts as "may").
            holds = (try? pool.read { db in
                try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM completion) OR EXISTS (SELECT 1 FROM next_token)") ?? true
            }) ?? true
        } catch let error as DatabaseError {
            throw Self.failure(
                error, url: url, action: "open the run store", systemErrno: opened.flatMap { Self.systemErrno(of: $0) },
                holdsCompletions: existed)
        }
        mayHoldResults = StoredResultsFlag(holds)
        try guarded("read the run's fingerprint") { try checkFingerprint(fingerprint, equivalent: equivalent, explain: explain, introduced: introduced) }
    }

    /// Whether the file at `url` may hold results before it can be opened (for the message of a failure to
    /// open it): not when it is absent, nor when it is at most one SQLite page with an empty write-ahead log,
    /// which is what a creation that failed after setting WAL mode leaves (a store with tables is larger);
    /// yes when its size cannot be read (e.g. a folder without search permission).
    static func mayHoldResultsBeforeOpening(at url: URL) -> Bool {
        func size(_ path: String) -> Int? {
            (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue
        }
        do {
            _ = try FileManager.default.attributesOfItem(atPath: url.path)
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile || error.code == .fileNoSuchFile {
            return false
        } catch {
            return true
        }
        guard let main = size(url.path) else { return true }
        return main > sqlitePageBytes || (size(url.path + "-wal") ?? 0) > 0
    }

    /// SQLite's default page size (the store never changes it).
    private static let sqlitePageBytes = 4096

    private init(database: any DatabaseWriter, url: URL, setting: String, isInput: Bool, mayHoldResults: StoredResultsFlag) {
        self.database = database
        self.url = url
        self.setting = setting
        self.isInput = isInput
        self.mayHoldResults = mayHoldResults
    }

    /// The same store seen at one sampling setting of a sweep: its completions are stored under the
    /// model key `<model> U+001F <setting>` (a label cannot hold the control character, so keys of
    /// different settings never meet), and this view reads and writes only that setting's completions,
    /// named by their plain model label. Next-token records do not depend on the sampling setting and
    /// are shared by every view.
    /// - Parameter setting: a canonical description of the setting (`temperature=0.7 top_k=50 top_p=0.9`).
    public func scoped(toSetting setting: String) -> RunStore {
        RunStore(database: database, url: url, setting: setting, isInput: isInput, mayHoldResults: mayHoldResults)
    }

    /// The model column of a completion of `model` in this view.
    private func key(_ model: String) -> String {
        setting.map { model + Self.settingSeparator + $0 } ?? model
    }

    /// The model label of a stored model column, or nil when the row belongs to another view's setting.
    private func label(_ key: String) -> String? {
        guard let setting else { return key }
        let suffix = Self.settingSeparator + setting
        return key.hasSuffix(suffix) ? String(key.dropLast(suffix.count)) : nil
    }

    private static let settingSeparator = "\u{1F}"

    /// A completion's text as stored: TEXT, or its UTF-8 bytes as a BLOB when it holds a NUL (U+0000). GRDB binds
    /// a Swift string as a C string and reads TEXT back as one, so a hostile review found a completion cut at its
    /// first NUL (GPT-2's token 188 is the NUL byte): `run` scored less text than `analyze`. A BLOB keeps every
    /// byte, and `String`'s reading of a column decodes a BLOB as UTF-8, so both forms (and stores written by
    /// earlier builds, all TEXT) read back as written.
    static func storedText(_ text: String) -> DatabaseValue {
        text.utf8.contains(0) ? Data(text.utf8).databaseValue : text.databaseValue
    }

    /// Opens an existing store read-only, without checking its fingerprint (`merge` compares the stores'
    /// fingerprints). Nothing is written to the file, nor migrated: the store must have this version's
    /// schema (GRDB migrations `v1` and `v2-description`; `v3-token-count` is optional, a store without it
    /// reads its token counts from the token ids). When no write-ahead log (`run.sqlite-wal`) is
    /// beside it, the file is opened as an immutable SQLite URI (`?immutable=1`), so nothing is created
    /// beside it either and a read-only copy in a read-only folder can be merged; with a log (a run still
    /// going, or interrupted), it is opened read-only as usual so the log's commits are seen.
    /// - Throws: ``AuditError/badInput(path:reason:)`` (65) when there is no store at `url`, it is not a file,
    ///   not an SQLite database, not a run store, or of a schema this version does not know;
    ///   ``AuditError/io(path:reason:)`` (74) when it cannot be read.
    public init(existing url: URL) throws {
        self.url = url
        self.setting = nil
        self.isInput = true
        mayHoldResults = StoredResultsFlag(true)
        let folder = url.deletingLastPathComponent()
        guard FileManager.default.fileExists(atPath: folder.path) else {
            // Review: a mistyped shard folder said "holds no run store".
            throw AuditError.io(path: folder.path, reason: "no such folder; give the --out folders of finished "
                + "`run --shard I/N` runs")
        }
        var folderIsDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.path, isDirectory: &folderIsDirectory), !folderIsDirectory.boolValue {
            // A file given as a shard (its run.sqlite, its results.json): said as such (a hostile review: "holds no run
            // store").
            throw AuditError.badInput(
                path: folder.path,
                reason: "is a file, not a folder; give the --out folders of finished `run --shard I/N` runs"
                    + (folder.lastPathComponent == AuditJSON.runStoreFileName
                        ? " (the folder holding this run.sqlite: \(TextEscaping.path(folder.deletingLastPathComponent().path)))" : ""))
        }
        guard try InputFile.exists(url, what: "the run store") else {
            throw AuditError.badInput(
                path: url.deletingLastPathComponent().path,
                reason: "holds no run store (\(url.lastPathComponent)); give the --out folders of finished `run --shard I/N` runs")
        }
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw AuditError.badInput(
                path: url.path,
                reason: "is a directory, not a file, so not a run store; give the --out folders of `run --shard I/N` "
                    + "runs, in which \(url.lastPathComponent) is the file the run wrote")
        }
        // FIFOs, devices and unreadable files are refused before SQLite opens (and could block on) them.
        try InputFile.check(url, what: "the run store")
        let logSize = (try? FileManager.default.attributesOfItem(atPath: url.path + "-wal")[.size] as? NSNumber)?.intValue ?? 0
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        do {
            let path = logSize == 0 && Self.filenamesMayBeURIs ? Self.immutableURI(url.path) : url.path
            database = try DatabaseQueue(path: path, configuration: configuration)
            try database.read { db in try Self.checkSchema(db, url: url) }
        } catch let error as DatabaseError {
            throw Self.inputFailure(error, url: url, hasLog: logSize > 0)
        }
    }

    /// Whether the linked SQLite reads `file:` names as URIs without `SQLITE_OPEN_URI` (GRDB does not pass
    /// it); Debian's and Apple's builds do (`SQLITE_USE_URI`). Without it, inputs are opened by plain path.
    private static let filenamesMayBeURIs: Bool = {
        let used = try? DatabaseQueue().read { db in
            try Bool.fetchOne(db, sql: "SELECT sqlite_compileoption_used('USE_URI')")
        }
        return (used ?? nil) ?? false
    }()

    /// `file:PATH?mode=ro&immutable=1`, with the characters a URI path may not hold percent-encoded
    /// (SQLite, "URI Filenames").
    static func immutableURI(_ path: String) -> String {
        var encoded = ""
        for character in path.unicodeScalars {
            switch character {
            case "%": encoded += "%25"
            case "?": encoded += "%3F"
            case "#": encoded += "%23"
            default: encoded.unicodeScalars.append(character)
            }
        }
        return "file://" + (encoded.hasPrefix("/") ? "" : "/") + encoded + "?mode=ro&immutable=1"
    }

    /// Refuses a database that is not a run store of this version's schema (read only; never migrates).
    private static func checkSchema(_ db: Database, url: URL) throws {
        let advice = "give the --out folders of `run --shard I/N` runs (merge only reads its inputs; it never changes or repairs them)"
        guard try db.tableExists("grdb_migrations") else {
            // No table at all: an empty file, or a store copied without its write-ahead log, which holds what a run that
            // did not end was yet to write into run.sqlite (a hostile review: told "another program's database").
            let empty = try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0
            throw AuditError.badInput(
                path: url.path,
                reason: empty
                    ? "holds no tables: an empty file, or a run store copied without its \(url.lastPathComponent)-wal (which "
                        + "holds what a run that did not end had not yet written into \(url.lastPathComponent): copy both); \(advice)"
                    : "is not a run store (another program's database); \(advice)")
        }
        let known = migrator.migrations
        let applied = try DatabaseValue.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").map {
            String.fromDatabaseValue($0) ?? "(a value biasaudit never writes)"
        }
        if let unknown = applied.first(where: { !known.contains($0) }) {
            throw AuditError.badInput(
                path: url.path,
                reason: "has run-store schema version '\(TextEscaping.excerpt(unknown, limit: 40))', which this biasaudit does "
                    + "not know (known: \(known.joined(separator: ", "))); merge with the biasaudit that made the shards")
        }
        for table in ["fingerprint", "completion", "next_token"] {
            guard applied.contains("v1"), try db.tableExists(table) else {
                throw AuditError.badInput(path: url.path, reason: "is not a run store (no table \(table)); \(advice)")
            }
        }
        guard applied.contains("v2-description"), try db.tableExists("run_description"), try db.tableExists("prompt_set_source") else {
            throw AuditError.badInput(
                path: url.path,
                reason: "the run store does not record its run's description (made by an older biasaudit); run the shard again with this version")
        }
        // As `run` checks a store it resumes (a review: a shard whose index missed a row merged with exit 0).
        let problems = try String.fetchAll(db, sql: "PRAGMA integrity_check(1)")
        if problems != ["ok"] {
            throw AuditError.badInput(
                path: url.path,
                reason: "is a damaged run store (SQLite's integrity check: '\(TextEscaping.excerpt(problems.first ?? "", limit: 80))'); "
                    + rerunShardAdvice)
        }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "fingerprint") { table in
                table.column("key", .text).primaryKey()
                table.column("value", .text).notNull()
            }
            try db.create(table: "completion") { table in
                table.column("model", .text).notNull()
                table.column("prompt_id", .text).notNull()
                table.column("sample_index", .integer).notNull()
                table.column("token_ids", .text).notNull()
                table.column("text", .text).notNull()
                table.column("stop_reason", .text).notNull()
                table.primaryKey(["model", "prompt_id", "sample_index"])
            }
            try db.create(table: "next_token") { table in
                table.column("model", .text).notNull()
                table.column("prompt_id", .text).notNull()
                table.column("male_probability", .double).notNull()
                table.column("female_probability", .double).notNull()
                table.primaryKey(["model", "prompt_id"])
            }
        }
        registerDescription(&migrator)
        // The number of generated tokens, NULL when unknown (a served model's answer that cannot be
        // attributed). Rows stored before it have NULL: their count is read from their token ids.
        migrator.registerMigration("v3-token-count") { db in
            try db.alter(table: "completion") { table in table.add(column: "token_count", .integer) }
        }
        return migrator
    }

    private func checkFingerprint(
        _ fingerprint: [String: String], equivalent: Equivalence, explain: Explanation, introduced: Introduced
    ) throws {
        try database.write { db in
            let stored = try Row.fetchAll(db, sql: "SELECT key, value FROM fingerprint")
            if stored.isEmpty {
                try checkResultsHaveAFingerprint(db)
                for (key, value) in fingerprint.sorted(by: { $0.key < $1.key }) {
                    try db.execute(sql: "INSERT INTO fingerprint (key, value) VALUES (?, ?)", arguments: [key, value])
                }
                return
            }
            var existing: [String: String] = [:]
            for row in stored {
                let key: String = try Self.value(row, "key", table: "fingerprint")
                existing[key] = try Self.value(row, "value", table: "fingerprint") as String
            }
            let keys = Set(existing.keys).union(fingerprint.keys).sorted()
            var differing = keys.filter { existing[$0] != fingerprint[$0] }
            let recorded = differing.isEmpty ? [:] : try Self.recordedPromptSets(db)
            if !differing.isEmpty {
                for key in differing {
                    guard let stored = existing[key], equivalent(key, stored, recorded) else { continue }
                    if let value = fingerprint[key] {
                        try db.execute(sql: "UPDATE fingerprint SET value = ? WHERE key = ?", arguments: [value, key])
                    } else {
                        // A key this run does not record at all, whose stored value says nothing of its completions.
                        try db.execute(sql: "DELETE FROM fingerprint WHERE key = ?", arguments: [key])
                    }
                    differing.removeAll { $0 == key }
                }
            }
            // A store written before a kind of key existed holds none of that kind: it takes this run's (and says so).
            var adopted: [String] = []
            if !existing.keys.contains(where: introduced) {
                adopted = differing.filter { existing[$0] == nil && introduced($0) }
                differing.removeAll { adopted.contains($0) }
            }
            if differing.isEmpty {
                for key in adopted {
                    try db.execute(sql: "INSERT INTO fingerprint (key, value) VALUES (?, ?)", arguments: [key, fingerprint[key] ?? ""])
                }
                // Said only where something was stored that cannot be checked.
                let holdsResults = adopted.isEmpty ? false : try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM completion) OR EXISTS (SELECT 1 FROM next_token)") ?? true
                adoptedKeys = holdsResults ? adopted : []
                return
            }
            if let first = differing.first {
                let was = existing[first] ?? "(absent)"
                let now = fingerprint[first] ?? "(absent)"
                // Named, not counted: "… now chico=b0c3… and 1 more" read as one more model (practitioner's review).
                // A key on one side only is said as such (a student's review: "also differs: tokenizer and config of
                // modelB" read as a changed model where the model had been left out of the command).
                // Another set sampled with the same changed settings says so (a teacher's review: "also differs: set
                // religion" read as if religion differed in some other, unsaid way).
                let others = differing.dropFirst().map { key in
                    TextEscaping.excerpt(key, limit: 40)
                        + (fingerprint[key] == nil ? " (only in the stored run)" : existing[key] == nil ? " (only in this run)"
                            : Self.changedAlike(key, first, was: existing, now: fingerprint) ? " (the same way)"
                            : Self.setChange(key, was: existing[key] ?? "", now: fingerprint[key] ?? "").map { " (\($0))" } ?? "")
                }
                let more = others.isEmpty ? ""
                    : "; also differs: " + others.prefix(5).joined(separator: ", ") + (others.count > 5 ? " and \(others.count - 5) more" : "")
                let words = existing[first].flatMap { explain(first, $0, recorded) } ?? Self.plainMismatch(first, was: was, now: now)
                // A store without a single result protects nothing: a run that failed before its first batch (a
                // damaged model file, a prompt too long) left it, and the same command, once the cause is fixed,
                // must not be told the folder is another run's (review). It takes this run's fingerprint.
                let holdsResults = try Bool.fetchOne(
                    db, sql: "SELECT EXISTS (SELECT 1 FROM completion) OR EXISTS (SELECT 1 FROM next_token)") ?? true
                guard holdsResults else {
                    try db.execute(sql: "DELETE FROM fingerprint")
                    for (key, value) in fingerprint.sorted(by: { $0.key < $1.key }) {
                        try db.execute(sql: "INSERT INTO fingerprint (key, value) VALUES (?, ?)", arguments: [key, value])
                    }
                    replacedFingerprint = words + more
                    return
                }
                throw AuditError.runMismatch(path: url.path, reason: words + more)
            }
        }
    }

    /// A fingerprint difference in words where no prompt set explains it: a set one side audits and the other does not
    /// is named as such (practitioner's review: "set religion was prompts=943d57c7…1e9cf48d samples=4 …, now
    /// (absent)"); other keys as `KEY was …, now …`.
    /// A prompt set's fingerprint (`set NAME`: `prompts=SHA samples=N max_new_tokens=M`) as its prompts' digest and its
    /// sampling settings.
    private static func setParts(_ value: String) -> (prompts: String, settings: [Substring]) {
        let parts = value.split(separator: " ")
        return (parts.first { $0.hasPrefix("prompts=") }.map(String.init) ?? "", parts.filter { !$0.hasPrefix("prompts=") })
    }

    /// Whether two prompt sets' fingerprints changed alike: each set's prompts unchanged and the same settings before and
    /// after in both.
    static func changedAlike(_ key: String, _ other: String, was: [String: String], now: [String: String]) -> Bool {
        guard key.hasPrefix("set "), other.hasPrefix("set "),
            let wasKey = was[key], let nowKey = now[key], let wasOther = was[other], let nowOther = now[other]
        else { return false }
        let (a, b, c, d) = (setParts(wasKey), setParts(nowKey), setParts(wasOther), setParts(nowOther))
        return a.prompts == b.prompts && c.prompts == d.prompts && a.settings == c.settings && b.settings == d.settings
    }

    /// What changed in prompt set `key` between two fingerprints, for the "also differs" list ("samples=2 max_new_tokens=4,
    /// now samples=3 max_new_tokens=5", "its prompts changed"); nil for another kind of key. A teacher's and a code review:
    /// a set listed bare after another difference did not say how it differed.
    static func setChange(_ key: String, was: String, now: String) -> String? {
        guard key.hasPrefix("set ") else { return nil }
        let (before, after) = (setParts(was), setParts(now))
        let settings = before.settings == after.settings ? nil
            : before.settings.joined(separator: " ") + ", now " + after.settings.joined(separator: " ")
        let prompts = before.prompts == after.prompts ? nil : "its prompts changed"
        let parts = [prompts, settings].compactMap { $0 }
        return parts.isEmpty ? nil : TextEscaping.excerpt(parts.joined(separator: "; "), limit: 120)
    }

    static func plainMismatch(_ key: String, was: String, now: String) -> String {
        if key == precisionKey {
            // Recorded only when it is not f32, so an absent entry is f32 (review: "precision was bf16, now (absent)").
            let (before, after) = (shownPrecision(was == "(absent)" ? nil : was), shownPrecision(now == "(absent)" ? nil : now))
            return "the folder's completions were generated at --precision \(before) and this command asks for --precision "
                + "\(after), which makes the same model's completions differ; give --precision \(before) to resume it"
        }
        if key.hasPrefix("set ") {
            let name = TextEscaping.excerpt(String(key.dropFirst(4)), limit: 60)
            if now == "(absent)" { return "the folder's run audited prompt set '\(name)', which this command does not" }
            if was == "(absent)" { return "this command audits prompt set '\(name)', which the folder's run did not" }
        }
        // Short escaped excerpts: a stored value is the store's text, edited or damaged maybe (a hostile review: 100,000
        // characters of it were quoted, about 1,800 after escaping).
        return "\(TextEscaping.excerpt(key, limit: 60)) was \(TextEscaping.excerpt(shownValue(key, was), limit: 400)), "
            + "now \(TextEscaping.excerpt(shownValue(key, now), limit: 400))"
    }

    /// A fingerprint value as messages show it: the injected biases' logits as typed (`terrible=8`; the fingerprint
    /// keeps Swift's `8.0` so that stores resume, and a practitioner's review found `8.0` in two messages only);
    /// anything else, or an entry that does not read as a bias, as stored.
    static func shownValue(_ key: String, _ value: String) -> String {
        guard key == "injected_bias" else { return value }
        return value.components(separatedBy: ", ").map { entry in
            (try? InjectedBias(parsing: entry))?.asTyped ?? entry
        }.joined(separator: ", ")
    }

    /// The fingerprint key of the models' arithmetic (`run --precision`), recorded only when it is not f32: stores
    /// written before the option existed, all f32, lack it and still resume.
    public static let precisionKey = "precision"

    /// A fingerprint's ``precisionKey`` value as `--precision` takes it: f32 when absent.
    public static func shownPrecision(_ value: String?) -> String {
        value.map { TextEscaping.excerpt($0, limit: 20) } ?? "f32"
    }

    /// Commits a batch of completions in one transaction.
    public func insert(_ completions: [StoredCompletion]) throws {
        try guarded("store completions") { try database.write { db in
            for completion in completions {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO completion
                            (model, prompt_id, sample_index, token_ids, text, stop_reason, token_count)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        key(completion.model), completion.promptID, completion.sampleIndex,
                        completion.tokenIDs.map(String.init).joined(separator: " "), Self.storedText(completion.text),
                        completion.stopReason, completion.tokenCount,
                    ])
            }
        } }
        if !completions.isEmpty { mayHoldResults.set() }
    }

    /// Commits next-token probabilities.
    public func insert(_ records: [StoredNextToken]) throws {
        try guarded("store next-token probabilities") { try database.write { db in
            for record in records {
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO next_token (model, prompt_id, male_probability, female_probability)
                        VALUES (?, ?, ?, ?)
                        """,
                    arguments: [record.model, record.promptID, record.maleProbability, record.femaleProbability])
            }
        } }
        if !records.isEmpty { mayHoldResults.set() }
    }

    /// The sample indices already stored for each prompt of `model`.
    public func completedSamples(model: String) throws -> [String: Set<Int>] {
        try guarded("read the stored completions") { try database.read { db in
            var done: [String: Set<Int>] = [:]
            let rows = try Row.fetchCursor(
                db, sql: "SELECT prompt_id, sample_index FROM completion WHERE model = ?", arguments: [key(model)])
            while let row = try rows.next() {
                let promptID: String = try Self.value(row, "prompt_id", table: "completion")
                done[promptID, default: []].insert(try Self.sampleIndex(row))
            }
            return done
        } }
    }

    /// Prompt ids whose next-token probabilities are stored for `model`.
    public func completedNextTokens(model: String) throws -> Set<String> {
        try guarded("read the stored next-token probabilities") { try database.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT prompt_id FROM next_token WHERE model = ?", arguments: [model]).map {
                try Self.value($0, "prompt_id", table: "next_token") as String
            })
        } }
    }

    /// Every stored completion (of this view's setting, when scoped), ordered by model, prompt and sample index.
    public func allCompletions() throws -> [StoredCompletion] {
        try guarded("read the stored completions") { try database.read { db in
            try Row.fetchAll(
                db, sql: "SELECT *, CAST(text AS BLOB) AS text_bytes FROM completion ORDER BY model, prompt_id, sample_index"
            ).compactMap { row in
                guard let model = label(try Self.value(row, "model", table: "completion")) else { return nil }
                let tokenIDs = try Self.tokenIDs(row)
                return StoredCompletion(
                    model: model,
                    promptID: try Self.value(row, "prompt_id", table: "completion"),
                    sampleIndex: try Self.sampleIndex(row),
                    tokenIDs: tokenIDs,
                    text: try Self.text(row),
                    stopReason: try Self.stopReason(row),
                    tokenCount: try Self.tokenCount(row, tokenIDs: tokenIDs))
            }
        } }
    }

    /// Every stored next-token record.
    public func allNextTokens() throws -> [StoredNextToken] {
        try guarded("read the stored next-token probabilities") { try database.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM next_token ORDER BY model, prompt_id").map { row in
                StoredNextToken(
                    model: try Self.value(row, "model", table: "next_token"),
                    promptID: try Self.value(row, "prompt_id", table: "next_token"),
                    maleProbability: try Self.probability(row, "male_probability"),
                    femaleProbability: try Self.probability(row, "female_probability"))
            }
        } }
    }
}

/// Whether a run store may hold results (completions or next-token records): true when the file had content
/// before this command or a batch was committed since. Thread-safe; shared by the views of one store.
final class StoredResultsFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Bool

    init(_ value: Bool) { self.value = value }

    var isSet: Bool { lock.withLock { value } }

    func set() { lock.withLock { value = true } }
}
