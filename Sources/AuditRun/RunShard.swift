import AuditResults
import Foundation
import Hashing
import PromptSets

/// `run --shard I/N`: one of N disjoint parts of an audit's prompts, chosen by prompt id, so N machines can
/// each run one part into its own run store and `biasaudit merge` can combine them.
///
/// A prompt belongs to shard `FNV-1a(prompt id) mod N + 1`: the partition depends only on the prompt ids
/// (stable across machines, models and runs), and every sample and next-token record of a prompt is in the
/// same shard.
public struct RunShard: Sendable, Equatable, CustomStringConvertible {
    /// The shard's number, 1…``count``.
    public let index: Int
    /// How many shards the audit is split into.
    public let count: Int

    /// The most shards an audit may be split into.
    public static let maximumCount = 10_000

    /// Creates a shard.
    /// - Throws: ``AuditError/usage(_:)`` unless 1 ≤ index ≤ count ≤ ``maximumCount``.
    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count), (1...count).contains(index) else {
            throw AuditError.usage(
                "--shard \(index)/\(count): give I/N with 1 ≤ I ≤ N ≤ \(Self.maximumCount), e.g. --shard 1/4 … --shard 4/4")
        }
        self.index = index
        self.count = count
    }

    /// Reads `I/N`.
    /// - Throws: ``AuditError/usage(_:)`` for anything else.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0].trimmingCharacters(in: .whitespaces)),
            let count = Int(parts[1].trimmingCharacters(in: .whitespaces))
        else {
            throw AuditError.usage("--shard '\(text)' is not I/N; write e.g. --shard 2/4 (the second of four shards)")
        }
        try self.init(index: index, count: count)
    }

    /// `I/N`.
    public var description: String { "\(index)/\(count)" }

    /// The shard (1…`count`) that holds the prompt with this id.
    public static func shard(ofPromptID id: String, count: Int) -> Int {
        Int(FNV1a.hash(id) % UInt64(count)) + 1
    }

    /// Whether this shard holds the prompt with this id.
    public func contains(promptID id: String) -> Bool {
        Self.shard(ofPromptID: id, count: count) == index
    }
}
