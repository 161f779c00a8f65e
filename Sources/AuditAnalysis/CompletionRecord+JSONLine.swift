import AuditResults
import Foundation

extension CompletionRecord {
    /// `completions.jsonl`: each record as one compact JSON object followed by a newline, byte for byte what
    /// `AuditJSON.encoder(pretty: false)` writes for it (snake_case keys in sorted order, optionals left out when nil,
    /// slashes unescaped, control characters escaped as `JSONEncoder` escapes them, numbers as it spells them,
    /// non-finite numbers as the strings `"NaN"`, `"Infinity"`, `"-Infinity"`).
    ///
    /// Written directly: encoding each record through `JSONEncoder` (a tree of boxed values per line, every key
    /// converted to snake case and sorted again) took about 14% of `analyze`'s time on a 10^5-line file (perf, release build). A test holds
    /// the two byte-identical.
    /// - Parameter records: the records, in file order.
    /// - Returns: the file's bytes.
    public static func jsonLines(_ records: [CompletionRecord]) -> Data {
        var data = Data()
        var line = JSONLineBytes()
        for record in records {
            line.bytes.removeAll(keepingCapacity: true)
            record.write(to: &line)
            data.append(contentsOf: line.bytes)
        }
        return data
    }

    /// Appends this record's line (with its newline) to `out`. The keys are written in the order `.sortedKeys`
    /// gives (UTF-8 order of their snake_case spelling); `group`, always present, comes first.
    private func write(to out: inout JSONLineBytes) {
        out.raw("{\"group\":")
        out.string(group)
        out.raw(",\"model\":")
        out.string(model)
        if let nextTokenLogOdds {
            out.raw(",\"next_token_log_odds\":")
            out.number(nextTokenLogOdds)
        }
        out.raw(",\"prompt\":")
        out.string(prompt)
        out.raw(",\"prompt_id\":")
        out.string(promptId)
        out.raw(",\"sample_index\":")
        out.integer(sampleIndex)
        out.raw(",\"scores\":{\"compound\":")
        out.number(scores.compound)
        out.raw(",\"female_pronouns\":")
        out.integer(scores.femalePronouns)
        out.raw(",\"female_terms\":")
        out.integer(scores.femaleTerms)
        out.raw(",\"gender_label\":")
        out.string(scores.genderLabel.rawValue)
        out.raw(",\"male_pronouns\":")
        out.integer(scores.malePronouns)
        out.raw(",\"male_terms\":")
        out.integer(scores.maleTerms)
        out.raw(",\"negative\":")
        out.number(scores.negative)
        out.raw(",\"neutral\":")
        out.number(scores.neutral)
        out.raw(",\"neutral_pronouns\":")
        out.integer(scores.neutralPronouns)
        out.raw(",\"positive\":")
        out.number(scores.positive)
        out.raw(",\"sentiment_label\":")
        out.string(scores.sentimentLabel.rawValue)
        out.raw("},\"set\":")
        out.string(set)
        if let stopReason {
            out.raw(",\"stop_reason\":")
            out.string(stopReason)
        }
        if let template {
            out.raw(",\"template\":")
            out.string(template)
        }
        out.raw(",\"template_id\":")
        out.string(templateId)
        if let term {
            out.raw(",\"term\":")
            out.string(term)
        }
        out.raw(",\"text\":")
        out.string(text)
        if let tokenCount {
            out.raw(",\"token_count\":")
            out.integer(tokenCount)
        }
        out.raw("}\n")
    }
}

/// A line of JSON being written as `JSONEncoder` with `.withoutEscapingSlashes` spells its values.
private struct JSONLineBytes {
    var bytes: [UInt8] = []
    private static let hexDigits = Array("0123456789abcdef".utf8)

    mutating func raw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// A quoted string: `"` and `\` escaped with a backslash, U+0008, U+0009, U+000A, U+000C and U+000D as `\b`,
    /// `\t`, `\n`, `\f`, `\r`, the other control characters below U+0020 as `\u00xx` (lower-case hex); everything
    /// else, `/` and non-ASCII included, as its UTF-8 bytes.
    mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var mark = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark..<index]))
                mark = index + 1
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                default:
                    bytes.append(contentsOf: [
                        UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), Self.hexDigits[Int(byte >> 4)],
                        Self.hexDigits[Int(byte & 0xF)],
                    ])
                }
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[mark...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// `JSONEncoder`'s spelling of a double: its `description` without a trailing `.0` (`1`, `0.5`, `1e-05`); NaN and
    /// the infinities as the strings of `AuditJSON.encoder`'s `convertToString` strategy.
    mutating func number(_ value: Double) {
        guard value.isFinite else {
            string(value.isNaN ? "NaN" : value < 0 ? "-Infinity" : "Infinity")
            return
        }
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }
}
