import Foundation

/// Locates the committed test fixtures in `Tests/Fixtures` (see its README for provenance).
///
/// Tests read only files committed with the clone, never data kept outside the repository.
public enum Fixtures {
    /// The `Tests/Fixtures` directory of this checkout.
    public static let directory: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Fixtures", isDirectory: true)

    /// The repository root (the directory that holds `Package.swift`).
    public static let repositoryRoot: URL = directory
        .deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A file or directory inside `Tests/Fixtures`.
    /// - Parameter relativePath: a path such as `"models/tiny-gpt2/config.json"`.
    public static func url(_ relativePath: String) -> URL {
        directory.appendingPathComponent(relativePath)
    }

    /// The bytes of a fixture file; fails the calling test with a clear message when it is missing.
    public static func data(_ relativePath: String) throws -> Data {
        try Data(contentsOf: url(relativePath))
    }

    /// Reads a JSON Lines fixture, decoding each non-empty line as `T`.
    public static func jsonLines<T: Decodable>(_ relativePath: String, as type: T.Type) throws -> [T] {
        let text = String(decoding: try data(relativePath), as: UTF8.self)
        let decoder = JSONDecoder()
        return try text.split(separator: "\n", omittingEmptySubsequences: true).map {
            try decoder.decode(T.self, from: Data($0.utf8))
        }
    }

    /// A fresh temporary directory, removed by the caller when done.
    public static func temporaryDirectory(_ label: String = "biasaudit-test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
