/// The 64-bit FNV-1a hash (Fowler, Noll, Vo): stable across runs, platforms and Swift versions, unlike
/// `Hasher`.
public enum FNV1a {
    /// The 64-bit offset basis.
    public static let offsetBasis: UInt64 = 0xcbf2_9ce4_8422_2325
    /// The 64-bit FNV prime.
    public static let prime: UInt64 = 0x0000_0100_0000_01b3

    /// FNV-1a 64 of `text`'s UTF-8 bytes.
    public static func hash(_ text: String) -> UInt64 {
        var hash = offsetBasis
        for byte in text.utf8 {
            hash = (hash ^ UInt64(byte)) &* prime
        }
        return hash
    }
}
