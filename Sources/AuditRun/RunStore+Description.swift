import AuditAnalysis
import AuditResults
import Foundation
import GRDB

/// What a run store says about the run that made it, so `biasaudit merge` can rebuild the audit from the
/// stores alone (on a machine that has neither the prompt-set files nor the command lines): the manifest
/// (models, prompt sets, parameters) and the bytes of every prompt-set file.
extension RunStore {
    /// A prompt-set file as stored: its path as given and its bytes.
    public struct StoredPromptSet: Sendable, Equatable {
        /// The set's name.
        public var name: String
        /// The path the run read it from.
        public var path: String
        /// The file's bytes.
        public var data: Data
    }

    /// The table `run_description` (added to older stores when they are opened).
    static func registerDescription(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v2-description") { db in
            try db.create(table: "run_description") { table in
                table.column("key", .text).primaryKey()
                table.column("value", .blob).notNull()
            }
            try db.create(table: "prompt_set_source") { table in
                table.column("name", .text).primaryKey()
                table.column("path", .text).notNull()
                table.column("data", .blob).notNull()
            }
        }
    }

    /// Records the run's manifest and the bytes of its prompt-set files (replacing an earlier record: a
    /// resumed run records its own command line).
    /// - Throws: ``AuditError/io(path:reason:)`` when a prompt-set file cannot be read again or changed since
    ///   it was loaded, the store's errors.
    func recordDescription(manifest: AuditManifest, promptSets: [PromptSetFile]) throws {
        let encoded = try JSONEncoder().encode(manifest)
        var sources: [StoredPromptSet] = []
        for file in promptSets {
            let data = try InputFile.read(URL(fileURLWithPath: file.path), what: "the prompt set", limit: InputFile.Limit.text)
            guard FileDigests.sha256(of: data) == file.sha256 else {
                throw AuditError.io(path: file.path, reason: "the prompt set changed while the run started; run again")
            }
            sources.append(StoredPromptSet(name: file.set.name, path: file.path, data: data))
        }
        try recordDescription(manifestJSON: encoded, promptSets: sources)
    }

    /// Records a manifest (JSON) and prompt-set sources as they are (for `merge`, which copies them).
    func recordDescription(manifestJSON: Data, promptSets: [StoredPromptSet]) throws {
        try guarded("record the run's description") { try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO run_description (key, value) VALUES ('manifest', ?)", arguments: [manifestJSON])
            try db.execute(sql: "DELETE FROM prompt_set_source")
            for source in promptSets {
                try db.execute(
                    sql: "INSERT INTO prompt_set_source (name, path, data) VALUES (?, ?, ?)",
                    arguments: [source.name, source.path, source.data])
            }
        } }
    }

    /// The recorded manifest (JSON) and prompt-set sources; nil manifest for stores made before they were
    /// recorded.
    public func description() throws -> (manifestJSON: Data?, promptSets: [StoredPromptSet]) {
        try guarded("read the run's description") { try database.read { db in
            let manifest = try Row.fetchOne(db, sql: "SELECT value FROM run_description WHERE key = 'manifest'")
                .map { try Self.value($0, "value", table: "run_description") as Data }
            let sets = try Row.fetchAll(db, sql: "SELECT name, path, data FROM prompt_set_source ORDER BY rowid").map {
                StoredPromptSet(
                    name: try Self.value($0, "name", table: "prompt_set_source"),
                    path: try Self.value($0, "path", table: "prompt_set_source"),
                    data: try Self.value($0, "data", table: "prompt_set_source"))
            }
            return (manifest, sets)
        } }
    }

    /// The recorded prompt-set sources by set name, read in `db` (for ``RunStore/Equivalence``).
    static func recordedPromptSets(_ db: Database) throws -> [String: StoredPromptSet] {
        var sets: [String: StoredPromptSet] = [:]
        for row in try Row.fetchAll(db, sql: "SELECT name, path, data FROM prompt_set_source") {
            let set = StoredPromptSet(
                name: try value(row, "name", table: "prompt_set_source"),
                path: try value(row, "path", table: "prompt_set_source"),
                data: try value(row, "data", table: "prompt_set_source"))
            sets[set.name] = set
        }
        return sets
    }

    /// Records a shard run's timing (``AuditTiming``), which `merge` adds up.
    func recordTiming(_ timing: AuditTiming) throws {
        let encoded = try JSONEncoder().encode(timing)
        try guarded("record the run's timing") { try database.write { db in
            try db.execute(
                sql: "INSERT OR REPLACE INTO run_description (key, value) VALUES ('timing', ?)", arguments: [encoded])
        } }
    }

    /// The timing a shard run recorded, if any.
    func recordedTiming() throws -> AuditTiming? {
        let data = try guarded("read the run's timing") { try database.read { db in
            try Row.fetchOne(db, sql: "SELECT value FROM run_description WHERE key = 'timing'")
                .map { try Self.value($0, "value", table: "run_description") as Data }
        } }
        return try data.map { data in
            try Self.decodeRecorded(AuditTiming.self, from: data, key: "timing", what: "timing", in: self)
        }
    }

    /// What to do about a shard store whose recorded description or timing is damaged: `run` records only what it
    /// ran, so the store was edited or damaged, and only running the shard again makes a store to trust.
    static let rerunShardAdvice = "the store was edited or damaged (`run --shard` records only what it ran): run this "
        + "shard again with its `run --shard I/N` command into a new --out folder, then merge"

    /// Decodes a value `run` recorded in table `run_description` under `key` (described as `what`) with the plain coders it was written with,
    /// describing a failure as a results file's is (the key path and what is wrong, not Foundation's "not valid JSON" or
    /// a Swift type name: review of `merge`).
    /// - Throws: ``AuditError/badInput(path:reason:)`` naming the store.
    static func decodeRecorded<T: Decodable>(
        _ type: T.Type, from data: Data, key: String, what: String, in store: RunStore
    ) throws -> T {
        do {
            let value = try JSONDecoder().decode(type, from: data)
            // A key twice, as in every other JSON input (a hostile review: the first of two "precision" values was merged).
            if let repeated = AuditJSON.duplicateKeyProblem(in: data, folding: nil) {
                throw AuditError.badInput(
                    path: store.url.path,
                    reason: "the run's recorded \(what) (table run_description, key '\(key)') does not read: \(repeated); "
                        + rerunShardAdvice)
            }
            return value
        } catch let error as AuditError {
            throw error
        } catch {
            // AuditJSON names a number that does not fit its key and places a syntax error by line and column; its
            // snake_case decoder reads the same fields (the recorded keys are camelCase without underscores).
            let problem: String
            do {
                _ = try AuditJSON.decode(type, from: data)
                problem = AuditJSON.describe(error)
            } catch {
                problem = AuditJSON.describe(error)
            }
            throw AuditError.badInput(
                path: store.url.path,
                reason: "the run's recorded \(what) (table run_description, key '\(key)') does not read: \(problem); "
                    + rerunShardAdvice)
        }
    }

    /// The stored fingerprint.
    public func fingerprint() throws -> [String: String] {
        try guarded("read the run's fingerprint") { try database.read { db in
            var fingerprint: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT key, value FROM fingerprint") {
                let key: String = try Self.value(row, "key", table: "fingerprint")
                fingerprint[key] = try Self.value(row, "value", table: "fingerprint") as String
            }
            return fingerprint
        } }
    }

    /// Whether completions of `run --sweep` settings are stored (model keys `<model> U+001F <setting>`, see
    /// ``scoped(toSetting:)``).
    public func holdsSweepSettings() throws -> Bool {
        try guarded("read the stored completions") { try database.read { db in
            try Row.fetchOne(db, sql: "SELECT 1 FROM completion WHERE instr(model, char(31)) > 0 LIMIT 1") != nil
        } }
    }
}
