/// The few CPython 3.11 `str` behaviours the VADER port depends on, reproduced on Unicode scalars
/// (Python strings are sequences of code points, not of grapheme clusters).
enum PythonString {
    /// `str.isspace()` for one code point: the ASCII whitespace including U+001C…U+001F, plus
    /// every code point whose bidirectional class is WS, B or S or whose category is Zs.
    static func isSpace(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x09...0x0D, 0x1C...0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// `string.punctuation`: the 32 ASCII punctuation characters.
    static func isASCIIPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x21...0x2F, 0x3A...0x40, 0x5B...0x60, 0x7B...0x7E:
            return true
        default:
            return false
        }
    }

    /// `text.split()`: runs of non-whitespace code points.
    static func splitOnWhitespace(_ scalars: [Unicode.Scalar]) -> [ArraySlice<Unicode.Scalar>] {
        scalars.split(whereSeparator: isSpace)
    }

    /// `text.strip()` with no argument.
    static func stripWhitespace(_ scalars: [Unicode.Scalar]) -> ArraySlice<Unicode.Scalar> {
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
              let last = scalars.lastIndex(where: { !isSpace($0) }) else { return [] }
        return scalars[first...last]
    }

    /// `text.strip(string.punctuation)`.
    static func stripPunctuation(_ scalars: ArraySlice<Unicode.Scalar>) -> ArraySlice<Unicode.Scalar> {
        guard let first = scalars.firstIndex(where: { !isASCIIPunctuation($0) }),
              let last = scalars.lastIndex(where: { !isASCIIPunctuation($0) }) else { return [] }
        return scalars[first...last]
    }

    /// `str.isupper()`: no lowercase or titlecase code point, and at least one uppercase one.
    static func isUpper(_ scalars: ArraySlice<Unicode.Scalar>) -> Bool {
        var cased = false
        for scalar in scalars {
            // ASCII without property lookups: a-z are its only lowercase letters, A-Z its only uppercase ones, and it
            // has no titlecase letter (a test holds this equal to the properties on every ASCII scalar).
            if scalar.isASCII {
                switch scalar.value {
                case 0x61...0x7A: return false
                case 0x41...0x5A: cased = true
                default: break
                }
                continue
            }
            let properties = scalar.properties
            if properties.isLowercase || properties.generalCategory == .titlecaseLetter { return false }
            if properties.isUppercase { cased = true }
        }
        return cased
    }

    /// `str.lower()`: full lowercase mappings, with CPython's context rule for capital sigma
    /// (U+03A3 becomes final sigma U+03C2 after a cased letter and not before one).
    static func lower(_ scalars: ArraySlice<Unicode.Scalar>) -> String {
        // An ASCII word (most words) is written as bytes: appending scalars one by one to a String took most of the time.
        if scalars.allSatisfy(\.isASCII) {
            return String(unsafeUninitializedCapacity: scalars.count) { buffer in
                for (offset, scalar) in scalars.enumerated() {
                    let value = UInt8(scalar.value)
                    buffer[offset] = (0x41...0x5A).contains(value) ? value + 32 : value
                }
                return scalars.count
            }
        }
        var result = String.UnicodeScalarView()
        for index in scalars.indices {
            let scalar = scalars[index]
            if scalar.isASCII {
                let value = scalar.value
                result.append((0x41...0x5A).contains(value) ? Unicode.Scalar(UInt8(value + 32)) : scalar)
            } else if scalar.value == 0x03A3 {
                result.append(isFinalSigma(scalars, at: index) ? "\u{03C2}" : "\u{03C3}")
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(result)
    }

    /// CPython's `handle_capital_sigma`: `\p{cased}\p{case-ignorable}* Σ !(\p{case-ignorable}* \p{cased})`.
    private static func isFinalSigma(_ scalars: ArraySlice<Unicode.Scalar>, at index: Int) -> Bool {
        var before = index - 1
        while before >= scalars.startIndex, scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= scalars.startIndex, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.endIndex, scalars[after].properties.isCaseIgnorable { after += 1 }
        return after == scalars.endIndex || !scalars[after].properties.isCased
    }
}
