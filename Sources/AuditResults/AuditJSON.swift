import Foundation

/// The JSON conventions of biasaudit's files: snake_case keys, sorted keys, ISO 8601 strings.
public enum AuditJSON {
    /// An encoder for `results.json` and other machine-readable outputs (stable, diffable output).
    public static func encoder(pretty: Bool = true) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// The matching decoder.
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }

    /// Reads a `results.json`, refusing truncated or malformed files and newer schema versions.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the path, for messages.
    /// - Throws: ``AuditError/badResults(path:reason:)`` naming the JSON key path (`prompt_sets[0].groups[1].id`):
    ///   for malformed JSON, a wrong type or out-of-range number, a value outside its range
    ///   (``AuditResult/firstOutOfRange()``: probabilities, NaN, negative counts or standard errors, an
    ///   interval's lower bound above its upper, a VADER compound outside −1…1), or an inconsistent file
    ///   (``AuditResult/firstInconsistency()``: no models, duplicate ids, rows naming a group, prompt set or
    ///   contrast the file does not hold, a contrast the file's groups and metrics imply, or a comparison of its models, missing).
    public static func loadResult(_ data: Data, path: String) throws -> AuditResult {
        struct VersionProbe: Decodable {
            var schemaVersion: Int?
            /// Keys of a `biasaudit diff --format json` output, to say so when one is given as results.
            var entries: AnyValue?
            var onlyInA: AnyValue?
        }
        /// Any JSON value (only whether a key is there counts).
        struct AnyValue: Decodable { init(from decoder: any Decoder) throws {} }
        // Before any parse, the syntax check below included (it parses too).
        // A completions file given where a results file is expected (practitioner's review: "not valid JSON at line 2 …
        // edited by hand?"; a newcomer's, of `report`): say which file is wanted. Judged by the content, not the name
        // (review: a results file named .jsonl was told both "upgrade biasaudit" and "this looks like a completions file").
        func refused(_ reason: String) -> AuditError {
            .badResults(
                path: path, reason: JSONLines.holdsObjects(data)
                    ? "holds one JSON object per line (JSON Lines), as a completions file does, not one results object: "
                        + "give the run's results.json, with completions.jsonl next to it"
                    : reason)
        }
        if let problem = valueCountProblem(in: data) { throw refused(problem) }
        let probe: VersionProbe
        do {
            probe = try decode(VersionProbe.self, from: data)
        } catch {
            throw refused(syntaxProblem(in: data, results: true) ?? describe(error))
        }
        if let problem = trailingCommaProblem(in: data) { throw AuditError.badResults(path: path, reason: problem) }
        guard let version = probe.schemaVersion else {
            // Practitioner's review: a saved `diff --format json` given to `check` was only "not a results file".
            if probe.entries != nil, probe.onlyInA != nil {
                throw AuditError.badResults(
                    path: path, reason: "this is the output of `biasaudit diff`, not a results file: give the run's "
                        + "results.json (and compare two runs with `check --baseline` or `diff`)")
            }
            throw AuditError.badResults(path: path, reason: "no schema_version: this is not a biasaudit results file")
        }
        guard version <= AuditResult.currentSchemaVersion else {
            throw AuditError.badResults(
                path: path,
                reason: "schema_version \(version) is newer than this biasaudit reads (\(AuditResult.currentSchemaVersion)); upgrade biasaudit")
        }
        let result: AuditResult
        do {
            result = try decode(AuditResult.self, from: data, inputChecked: true)
        } catch {
            throw AuditError.badResults(path: path, reason: describe(error))
        }
        if let (key, reason) = result.firstOutOfRange() {
            throw AuditError.badResults(path: path, reason: "\(key) \(reason); the file was not written by biasaudit "
                + "or was edited: write it again with `biasaudit run`")
        }
        if let (key, reason) = result.firstInconsistency() {
            throw AuditError.badResults(path: path, reason: "\(key) \(reason)")
        }
        return result
    }

    /// The run store's file name in a run folder (`AuditRunner.FileName.store`).
    public static let runStoreFileName = "run.sqlite"

    /// What to do with a run folder that holds a run store but not the files a finished run writes: its run was
    /// interrupted, or it is one shard of a run. One clause, for `analyze RUN_DIR` and for a missing results.json.
    public static let unfinishedRunAdvice = "its run did not finish (or is one shard): run the same `biasaudit run` "
        + "command again to complete it (or `biasaudit merge` the shards)"

    /// The bytes of a results file (`path` as the user named it, for messages; `url.path` by default; `what` names the
    /// file in them: "the baseline (--baseline)" for `check`'s, a practitioner's review).
    /// - Throws: as `InputFile.read`; a missing `results.json` beside a run store (`run.sqlite`) gives
    ///   ``unfinishedRunAdvice`` (practitioner's review: an interrupted run in CI said only "no such file; check the
    ///   path").
    public static func readResultsFile(
        _ url: URL, path: String? = nil, what: String = "the results file", ifMissing: String? = nil
    ) throws -> Data {
        do {
            return try InputFile.read(url, path: path, what: what, limit: InputFile.Limit.results, ifMissing: ifMissing)
        } catch AuditError.io(let place, _) where url.lastPathComponent == "results.json"
            && !FileManager.default.fileExists(atPath: url.path)
            && FileManager.default.fileExists(atPath: url.deletingLastPathComponent().appendingPathComponent(runStoreFileName).path)
        {
            throw AuditError.io(path: place, reason: "cannot read \(what): there is none, but a run store "
                + "(\(runStoreFileName)) is beside it: \(unfinishedRunAdvice), then give its results.json")
        }
        catch AuditError.badInput(let place, _) where FileManager.default.fileExists(
            atPath: url.appendingPathComponent("results.json").path)
        {
            // A run folder given where its results file is wanted (a final review: "is a directory, not a regular file").
            throw AuditError.badInput(path: place, reason: "\(what == "the results file" ? "this" : what) is a folder that "
                + "holds a results.json; give the file: "
                + "\((place as NSString).appendingPathComponent("results.json"))")
        }
    }

    /// Reads a results file from disk.
    /// - Throws: ``AuditError/io(path:reason:)`` when unreadable, else as ``loadResult(_:path:)``.
    public static func loadResult(at url: URL) throws -> AuditResult {
        let data = try readResultsFile(url)
        return try loadResult(data, path: url.path)
    }
}
