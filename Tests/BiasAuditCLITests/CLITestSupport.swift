import Foundation
import TestSupport
import XCTest

/// An empty, private Hugging Face cache for one test: the binary never sees `~/.cache` or the network.
struct IsolatedHub {
    /// The temporary directory holding the cache (removed by ``remove()``).
    let directory: URL

    /// Creates an empty cache directory.
    init() throws {
        directory = try Fixtures.temporaryDirectory("biasaudit-hub")
    }

    /// `HF_HUB_CACHE` and `HF_HOME` inside the temporary directory, offline mode on.
    var environment: [String: String] {
        [
            "HF_HUB_CACHE": directory.path, "HF_HOME": directory.appendingPathComponent("home").path,
            "HF_HUB_OFFLINE": "1",
        ]
    }

    /// Deletes the cache directory.
    func remove() {
        try? FileManager.default.removeItem(at: directory)
    }
}

/// One committed tiny model with the reference outputs written by transformers (Tests/Fixtures/README.md).
struct GoldenModel {
    /// The parts of `golden.json` these tests read.
    struct Golden: Decodable {
        struct Prompt: Decodable {
            let text: String
            let ids: [Int]
            let greedyNewIDs: [Int]

            enum CodingKeys: String, CodingKey {
                case text, ids
                case greedyNewIDs = "greedy_new_ids"
            }
        }
        let prompts: [Prompt]
    }

    /// The F32 model in Hugging Face's layout and the F16 model in OpenAI's layout.
    static let all = ["models/tiny-gpt2", "models/tiny-gpt2-openai-f16"]

    /// The fixture path relative to `Tests/Fixtures`.
    let name: String
    /// The model directory, as passed to `--model`.
    let directory: URL
    /// `golden.json`.
    let golden: Golden
    private let goldenTensors: [String: [Float]]

    /// Loads `golden.json` and `golden.safetensors` of the fixture model `name`.
    init(_ name: String) throws {
        self.name = name
        directory = Fixtures.url(name)
        golden = try JSONDecoder().decode(Golden.self, from: Fixtures.data("\(name)/golden.json"))
        goldenTensors = try Self.float32Tensors(Fixtures.data("\(name)/golden.safetensors"))
    }

    /// The reference logits (all 50257) at the last position of prompt `index`.
    func lastLogits(prompt index: Int) throws -> [Float] {
        try XCTUnwrap(goldenTensors["last_logits.\(index)"], "\(name)/golden.safetensors lacks last_logits.\(index)")
    }

    /// Decodes every F32 tensor of a safetensors file (8-byte little-endian header length, JSON header,
    /// data section). The test target cannot import the SafeTensors module, and the golden file is ours.
    private static func float32Tensors(_ data: Data) throws -> [String: [Float]] {
        let bytes = [UInt8](data)
        let headerLength = (0..<8).reduce(0) { $0 | Int(bytes[$1]) << (8 * $1) }
        let header = try XCTUnwrap(
            JSONSerialization.jsonObject(with: Data(bytes[8..<(8 + headerLength)])) as? [String: Any])
        var tensors: [String: [Float]] = [:]
        for (name, entry) in header where name != "__metadata__" {
            let fields = try XCTUnwrap(entry as? [String: Any])
            XCTAssertEqual(fields["dtype"] as? String, "F32", "\(name) is not F32")
            let offsets = try XCTUnwrap(fields["data_offsets"] as? [Int])
            let start = 8 + headerLength + offsets[0]
            tensors[name] = stride(from: start, to: 8 + headerLength + offsets[1], by: 4).map { at in
                Float(bitPattern: (0..<4).reduce(UInt32(0)) { $0 | UInt32(bytes[at + $1]) << (8 * UInt32($1)) })
            }
        }
        return tensors
    }
}

/// Structural comparison of decoded JSON values, reporting the paths that differ.
enum JSONComparison {
    /// Parses JSON text (a whole document) into Foundation values.
    static func parse(_ text: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])
    }

    /// The paths at which `a` and `b` differ (at most `limit`), e.g. `prompt_sets[0].contrasts[3].p_value`.
    static func differences(_ a: Any, _ b: Any, path: String = "", limit: Int = 10) -> [String] {
        var found: [String] = []
        collect(a, b, path: path.isEmpty ? "$" : path, into: &found, limit: limit)
        return found
    }

    private static func collect(_ a: Any, _ b: Any, path: String, into found: inout [String], limit: Int) {
        guard found.count < limit else { return }
        switch (a, b) {
        case let (x as [String: Any], y as [String: Any]):
            for key in Set(x.keys).union(y.keys).sorted() {
                guard let left = x[key], let right = y[key] else {
                    found.append("\(path).\(key): present on one side only")
                    continue
                }
                collect(left, right, path: "\(path).\(key)", into: &found, limit: limit)
            }
        case let (x as [Any], y as [Any]):
            if x.count != y.count { found.append("\(path): \(x.count) vs \(y.count) elements") }
            for (index, (left, right)) in zip(x, y).enumerated() {
                collect(left, right, path: "\(path)[\(index)]", into: &found, limit: limit)
            }
        default:
            // Scalars from the same JSON parser: equal values print the same.
            if String(describing: a) != String(describing: b) || type(of: a) != type(of: b) {
                found.append("\(path): \(a) vs \(b)")
            }
        }
    }
}

/// The parts of `biasaudit diff --format json` the tests read.
struct DiffJSON: Decodable {
    /// One compared contrast; `metric`, `group_a`, `group_b`, `verdict` and `sign_reversed` are the fields
    /// DESIGN.md promises (required here, so that a missing one fails the decoding).
    struct Entry: Decodable {
        var contrastId: String
        var metric: String
        var groupA: String
        var groupB: String
        var signReversed: Bool
        var qValue: Double?
        var modelA: String
        var modelB: String
        var valueA: Double?
        var valueB: Double?
        var verdict: String
        var method: String
        var change: Interval
        var onDifferentTerms: Bool? = nil
    }
    struct Interval: Decodable {
        var value: Double?
        var lower: Double?
        var upper: Double?
    }
    var entries: [Entry]
    var notes: [String]

    /// Decodes `diff --format json` output (snake_case keys).
    static func decode(_ stdout: String) throws -> DiffJSON {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(DiffJSON.self, from: Data(stdout.utf8))
    }
}

/// A test case whose commands run offline against an empty private Hub cache, with helpers to run the
/// built binary and to parse a successful command's JSON output.
class IsolatedHubTestCase: XCTestCase {
    /// The private Hub cache of the running test.
    var hub: IsolatedHub!

    override func setUpWithError() throws {
        try super.setUpWithError()
        hub = try IsolatedHub()
    }

    override func tearDown() {
        hub.remove()
        super.tearDown()
    }

    /// Runs the binary with `arguments` in the private Hub environment.
    func run(_ arguments: [String]) throws -> CommandResult {
        try CLI.run(arguments, environment: hub.environment)
    }

    /// Runs a command that must succeed without writing to standard error and parses its standard output
    /// as one JSON object.
    func runJSON(_ arguments: [String], file: StaticString = #filePath, line: UInt = #line) throws -> [String: Any] {
        let result = try run(arguments)
        XCTAssertEqual(result.status, 0, "\(arguments): \(result.stderr)", file: file, line: line)
        XCTAssertEqual(result.stderr, "", "\(arguments) wrote to standard error", file: file, line: line)
        return try XCTUnwrap(JSONComparison.parse(result.stdout) as? [String: Any], result.stdout, file: file, line: line)
    }
}

/// A test case of `run` on the small fixture set (12 prompts) and both tiny fixture models: each test has a
/// private Hub cache (``IsolatedHubTestCase``), and the tests of one class share a scratch folder, made on
/// first use and removed after the class's last test, so that a run made by one test is read by the others.
class FixtureRunTestCase: IsolatedHubTestCase {
    /// The scratch folder of each subclass that made one.
    nonisolated(unsafe) private static var scratches: [ObjectIdentifier: URL] = [:]

    /// The start of the scratch folder's name.
    class var scratchPrefix: String { "run" }

    override class func tearDown() {
        if let scratch = scratches.removeValue(forKey: ObjectIdentifier(self)) {
            try? FileManager.default.removeItem(at: scratch)
        }
        super.tearDown()
    }

    /// The class's scratch folder (made on first use).
    func scratchDirectory() throws -> URL {
        let key = ObjectIdentifier(type(of: self))
        if let scratch = Self.scratches[key] { return scratch }
        let scratch = try Fixtures.temporaryDirectory(Self.scratchPrefix)
        Self.scratches[key] = scratch
        return scratch
    }

    /// `run` on the small set with both tiny models, seed 11, `--quiet`; `extra` adds or overrides flags.
    static func fixtureRunArguments(out: URL, samples: Int, maxNewTokens: Int, extra: [String] = []) -> [String] {
        [
            "run", Fixtures.url("audit/small-set.yaml").path,
            "--model", Fixtures.url("models/tiny-gpt2").path,
            "--model", Fixtures.url("models/tiny-gpt2-openai-f16").path,
            "--samples", String(samples), "--max-new-tokens", String(maxNewTokens),
            "--seed", "11", "--out", out.path, "--quiet",
        ] + extra
    }
}

/// Copies of a results file with `manifest.parameters.analysis.statistics_revision` changed, for the notes on results
/// of other statistical rules.
enum StatisticsRevisionEdit {
    /// Writes the results at `source` to `destination` (its folder made) with the revision set to `revision` (nil:
    /// removed, as in files written before revisions were recorded).
    /// - Returns: the revision the source recorded.
    @discardableResult
    static func write(_ source: URL, to destination: URL, revision: Int?) throws -> Int? {
        var object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        var manifest = try XCTUnwrap(object["manifest"] as? [String: Any])
        var parameters = try XCTUnwrap(manifest["parameters"] as? [String: Any])
        var analysis = try XCTUnwrap(parameters["analysis"] as? [String: Any])
        let recorded = analysis["statistics_revision"] as? Int
        analysis["statistics_revision"] = revision
        parameters["analysis"] = analysis
        manifest["parameters"] = parameters
        object["manifest"] = manifest
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try JSONSerialization.data(withJSONObject: object).write(to: destination)
        return recorded
    }
}
