import Foundation

/// Reads `merges.txt`: one merge per line, `left right`, highest priority first.
///
/// Follows Hugging Face `tokenizers` (`convert_merges_to_hashmap`): lines starting with
/// `#version` are skipped, every other line must split on single spaces into exactly two parts,
/// the rank of a merge is its order in the file, and a later duplicate of a pair replaces an
/// earlier one. A final empty line (the file's trailing newline) and a trailing `\r` are
/// ignored. Both parts and their concatenation must be vocabulary tokens.
enum MergesParser {
    /// The merge rules of `data`, keyed by `BytePairMerger.pairKey(leftID, rightID)`.
    /// - Parameters:
    ///   - data: the bytes of `merges.txt`.
    ///   - vocabulary: token string → id, from `vocab.json`.
    /// - Throws: `TokenizerError.mergesNotUTF8`, `.mergesByteOrderMark`, `.malformedMerge` or
    ///   `.mergeTokenNotInVocabulary`, naming the 1-based line.
    static func parse(_ data: Data, vocabulary: [String: Int]) throws -> [UInt64: BytePairMerger.Merge] {
        // UTF-16 holds a NUL byte beside every ASCII character, which UTF-8 accepts: said as such, not at a line counted
        // in 0x0A bytes (a review: "merges.txt:193" of a UTF-16 file without a byte-order mark).
        if data.contains(0) { throw TokenizerError.mergesNotUTF8(line: 0) }
        if String(data: data, encoding: .utf8) == nil {
            // The first line that is not UTF-8 (a hostile review: the message named no place, where config.json's and
            // vocab.json's do).
            let line = lines(of: data).firstIndex { String(validating: $0, as: UTF8.self) == nil }.map { $0 + 1 } ?? 1
            throw TokenizerError.mergesNotUTF8(line: line)
        }
        // Its first line would read as the merge "\u{FEFF}#version: 0.2" (review: "not in vocab.json" said nothing of it).
        if data.starts(with: [0xEF, 0xBB, 0xBF]) { throw TokenizerError.mergesByteOrderMark }
        let lines = lines(of: data)
        var merges: [UInt64: BytePairMerger.Merge] = [:]
        merges.reserveCapacity(lines.count)
        var rank: Int32 = 0
        for (index, line) in lines.enumerated() {
            let lineNumber = index + 1
            if isVersionLine(line) { continue }
            let parts = line.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
                throw TokenizerError.malformedMerge(line: lineNumber, text: String(decoding: line, as: UTF8.self))
            }
            let left = String(decoding: parts[0], as: UTF8.self)
            let right = String(decoding: parts[1], as: UTF8.self)
            let merged = left + right
            let ids = try [left, right, merged].map { token in
                guard let id = vocabulary[token] else {
                    throw TokenizerError.mergeTokenNotInVocabulary(line: lineNumber, token: token)
                }
                return Int32(id)
            }
            merges[BytePairMerger.pairKey(ids[0], ids[1])] = .init(rank: rank, mergedID: ids[2])
            rank += 1
        }
        return merges
    }

    /// Whether `data` holds no merge rule: no line, or only `#version` lines (an empty file is a failed download or
    /// copy). Where it holds one, `parse` returns at least one rule or throws.
    static func holdsNoRule(_ data: Data) -> Bool {
        lines(of: data).allSatisfy(isVersionLine)
    }

    /// The lines of `data` without their `\n` and a trailing `\r`, the final empty line (the file's last newline) left
    /// out. Split on bytes, not Characters: "\r\n" and a space before a combining mark are single Characters in Swift,
    /// but the file format is defined on bytes.
    private static func lines(of data: Data) -> [ArraySlice<UInt8>] {
        var lines = [UInt8](data).split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        if lines.last?.isEmpty == true {
            lines.removeLast()
        }
        return lines.map { $0.last == UInt8(ascii: "\r") ? $0.dropLast() : $0 }
    }

    private static func isVersionLine(_ line: ArraySlice<UInt8>) -> Bool {
        line.starts(with: "#version".utf8)
    }
}
