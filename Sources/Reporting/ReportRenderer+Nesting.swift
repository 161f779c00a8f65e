extension ReportRenderer {
    /// The deepest nesting of Mustache sections a template may have: rendering recurses once per level,
    /// so a template of thousands of nested sections would overflow the stack (README, "Limits").
    static let maximumSectionDepth = 100

    /// The 1-based line where a template's section nesting first exceeds ``maximumSectionDepth``, or `nil`.
    /// Counts `{{#…}}` and `{{^…}}` openings against `{{/…}}` closings, in one pass over the text.
    static func lineBeyondNestingLimit(_ text: String) -> Int? {
        var depth = 0
        var line = 1
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") {
                line += 1
            } else if byte == UInt8(ascii: "{"), index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "{") {
                var next = index + 2
                while next < bytes.count, bytes[next] == UInt8(ascii: " ") { next += 1 }
                if next < bytes.count {
                    switch bytes[next] {
                    case UInt8(ascii: "#"), UInt8(ascii: "^"):
                        depth += 1
                        if depth > maximumSectionDepth { return line }
                    case UInt8(ascii: "/"):
                        depth = max(depth - 1, 0)
                    default:
                        break
                    }
                }
                index = next
                continue
            }
            index += 1
        }
        return nil
    }
}
