/// Splits text into the words the gender lexicon is matched against.
///
/// A word is a maximal run of letters, digits, combining marks and apostrophes (straight or
/// typographic); everything else, hyphens included, separates words. Apostrophes at the ends of
/// a run are quotation marks or plural possessives ("boys'") and are dropped; inner ones are
/// normalised to "'". Words are lowercased.
enum GenderWordScanner {
    /// The contraction and possessive endings that leave the word before them countable:
    /// "he's", "she'd", "he'll", "they're", "they've", "man's".
    static let clitics: Set<String> = ["s", "d", "ll", "re", "ve", "m"]

    /// The normalised words of `text`, in order.
    static func words(in text: String) -> [String] {
        var words: [String] = []
        var current = String.UnicodeScalarView()
        func finish() {
            if !current.isEmpty, let word = normalized(current) { words.append(word) }
            current = String.UnicodeScalarView()
        }
        for scalar in text.unicodeScalars {
            if isWordScalar(scalar) || isApostrophe(scalar) {
                current.append(scalar)
            } else {
                finish()
            }
        }
        finish()
        return words
    }

    /// A lexicon entry in the form `words(in:)` produces, or nil if no text could produce it.
    static func normalizedEntry(_ entry: String) -> String? {
        let scalars = entry.unicodeScalars
        guard let first = scalars.first, let last = scalars.last,
              scalars.allSatisfy({ isWordScalar($0) || isApostrophe($0) }),
              !isApostrophe(first), !isApostrophe(last) else { return nil }
        return normalized(scalars)
    }

    /// The candidate lexicon keys of a word: the word itself, then the word without each final clitic in
    /// turn, so stacked clitics are peeled one by one: "he'd've" → "he'd've", "he'd", "he".
    static func candidates(for word: String) -> [String] {
        var result = [word]
        var rest = Substring(word)
        while let apostrophe = rest.lastIndex(of: "'") {
            let stem = rest[..<apostrophe]
            guard clitics.contains(String(rest[rest.index(after: apostrophe)...])), !stem.isEmpty else { break }
            result.append(String(stem))
            rest = stem
        }
        return result
    }

    private static func normalized(_ scalars: String.UnicodeScalarView) -> String? {
        guard let start = scalars.firstIndex(where: { !isApostrophe($0) }),
              let end = scalars.lastIndex(where: { !isApostrophe($0) }) else { return nil }
        var result = String.UnicodeScalarView()
        for scalar in scalars[start...end] {
            result.append(isApostrophe(scalar) ? "'" : scalar)
        }
        return String(result).lowercased()
    }

    /// ``isWordScalarByProperties(_:)`` with ASCII answered without a property lookup (two table lookups per
    /// character of every completion took a third of the gender counting's time): in ASCII only the digits and the
    /// letters are decimal numbers or alphabetic, and none is a mark. A test holds the two equal on every ASCII scalar.
    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return isWordScalarByProperties(scalar) }
        switch scalar.value {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: return true
        default: return false
        }
    }

    /// A letter, digit or combining mark: general category Nd, Mn, Mc or Me, or the Alphabetic property.
    static func isWordScalarByProperties(_ scalar: Unicode.Scalar) -> Bool {
        let properties = scalar.properties
        switch properties.generalCategory {
        case .decimalNumber, .nonspacingMark, .spacingMark, .enclosingMark:
            return true
        default:
            return properties.isAlphabetic
        }
    }

    /// U+0027 APOSTROPHE, U+2018/U+2019 quotation marks, U+02BC MODIFIER LETTER APOSTROPHE,
    /// U+FF07 FULLWIDTH APOSTROPHE.
    private static func isApostrophe(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x27, 0x2018, 0x2019, 0x02BC, 0xFF07: return true
        default: return false
        }
    }
}
