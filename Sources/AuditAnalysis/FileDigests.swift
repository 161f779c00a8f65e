import Crypto
import Foundation

/// SHA-256 digests of in-memory files (large files are hashed in chunks by the Hub's `sha256Hex(of:)`).
public enum FileDigests {
    /// Lower-case hexadecimal SHA-256 of `data`.
    public static func sha256(of data: Data) -> String {
        hex(SHA256.hash(data: data))
    }

    private static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
