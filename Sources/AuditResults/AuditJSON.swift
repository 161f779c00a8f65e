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
    /// - Throws: ``AuditError/badResults(path:reason:)``.
    public static func loadResult(_ data: Data, path: String) throws -> AuditResult {
        struct VersionProbe: Decodable { var schemaVersion: Int? }
        let decoder = decoder()
        let probe: VersionProbe
        do {
            probe = try decoder.decode(VersionProbe.self, from: data)
        } catch {
            throw AuditError.badResults(path: path, reason: "not a JSON object (\(describe(error))); is the file truncated?")
        }
        guard let version = probe.schemaVersion else {
            throw AuditError.badResults(path: path, reason: "no schema_version: this is not a biasaudit results file")
        }
        guard version <= AuditResult.currentSchemaVersion else {
            throw AuditError.badResults(
                path: path,
                reason: "schema_version \(version) is newer than this biasaudit reads (\(AuditResult.currentSchemaVersion)); upgrade biasaudit")
        }
        let result: AuditResult
        do {
            result = try decoder.decode(AuditResult.self, from: data)
        } catch {
            throw AuditError.badResults(path: path, reason: describe(error))
        }
        if let (key, reason) = result.firstOutOfRange() {
            throw AuditError.badResults(path: path, reason: "\(key) \(reason); the file was not written by biasaudit "
                + "or was edited: write it again with `biasaudit run`")
        }
        return result
    }

    /// Reads a results file from disk.
    /// - Throws: ``AuditError/io(path:reason:)`` when unreadable, else as ``loadResult(_:path:)``.
    public static func loadResult(at url: URL) throws -> AuditResult {
        let data = try InputFile.read(url, what: "the results file", limit: InputFile.Limit.results)
        return try loadResult(data, path: url.path)
    }

    /// A one-line description of a decoding error: which key path and what was wrong.
    public static func describe(_ error: Error) -> String {
        func pathString(_ path: [CodingKey]) -> String {
            let parts = path.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
            return parts.isEmpty ? "top level" : parts.joined(separator: ".")
        }
        switch error {
        case DecodingError.keyNotFound(let key, let context):
            return "missing key '\(key.stringValue)' at \(pathString(context.codingPath))"
        case DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context):
            return "wrong type at \(pathString(context.codingPath)): \(context.debugDescription)"
        case DecodingError.dataCorrupted(let context):
            let underlying = (context.underlyingError as NSError?)?.userInfo[NSDebugDescriptionErrorKey] as? String
            return "invalid JSON at \(pathString(context.codingPath)): \(underlying ?? context.debugDescription)"
        default:
            return String(describing: error)
        }
    }
}
