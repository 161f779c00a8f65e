/// GPT-2's reversible map between the 256 byte values and 256 printable Unicode scalars.
///
/// Matches `bytes_to_unicode()` in OpenAI's `encoder.py` (and the `ByteLevel` pre-tokenizer of
/// Hugging Face `tokenizers`): the printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` stand for themselves;
/// the other 68 bytes, taken in increasing order, become U+0100, U+0101, … (so a space, 0x20,
/// becomes `Ġ` U+0120 and a newline, 0x0A, becomes `Ċ` U+010A).
struct ByteEncoder: Sendable {
    /// The scalar that stands for each byte value, indexed by the byte.
    let scalarForByte: [Unicode.Scalar]
    /// The byte that each scalar stands for, for the 256 scalars in `scalarForByte`.
    let byteForScalar: [Unicode.Scalar: UInt8]

    /// The GPT-2 table.
    static let gpt2 = ByteEncoder()

    private init() {
        func isPrintable(_ byte: Int) -> Bool {
            (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
        }
        var scalars = [Unicode.Scalar](repeating: " ", count: 256)
        var nextShifted: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(byte) {
                scalars[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                scalars[byte] = Unicode.Scalar(nextShifted)!
                nextShifted += 1
            }
        }
        scalarForByte = scalars
        var inverse: [Unicode.Scalar: UInt8] = [:]
        for (byte, scalar) in scalars.enumerated() {
            inverse[scalar] = UInt8(byte)
        }
        byteForScalar = inverse
    }

    /// The bytes a vocabulary string stands for.
    ///
    /// A token holding any scalar outside the table (possible only in a hand-made vocabulary)
    /// contributes its own UTF-8 bytes instead, as the `ByteLevel` decoder of Hugging Face
    /// `tokenizers` does.
    func decode(_ token: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byteForScalar[scalar] else {
                return Array(token.utf8)
            }
            bytes.append(byte)
        }
        return bytes
    }
}
