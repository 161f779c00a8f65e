/// One token of a text as VADER sees it (an entry of `SentiText.words_and_emoticons`).
struct VaderWord: Sendable {
    /// The token lowercased with Python's `str.lower()`.
    let lower: ExactText
    /// Python's `token.isupper()`.
    let isUpper: Bool
}

/// The text-level preprocessing of vaderSentiment 3.3.2: emoji translation (`polarity_scores`)
/// and the `SentiText` tokenisation.
struct VaderText: Sendable {
    /// The text after emoji translation and `strip()`, used for the punctuation-emphasis counts.
    let scalars: [Unicode.Scalar]
    /// `words_and_emoticons`: whitespace-separated tokens with leading and trailing ASCII
    /// punctuation stripped, unless the stripped token would have two code points or fewer
    /// (then the token is kept whole, so that emoticons such as ":)" and words such as "ok!" survive).
    let words: [VaderWord]
    /// `allcap_differential`: some, but not all, tokens are ALL CAPS.
    let isCapDifferential: Bool

    /// - Parameters:
    ///   - emojiDescriptions: the emoji table.
    ///   - smallestEmoji: the smallest code point of `emojiDescriptions`: those below it are not looked up.
    init(_ text: String, emojiDescriptions: [Unicode.Scalar: [Unicode.Scalar]], smallestEmoji: UInt32) {
        var translated: [Unicode.Scalar] = []
        translated.reserveCapacity(text.unicodeScalars.count)
        var previousWasSpace = true
        for scalar in text.unicodeScalars {
            if scalar.value >= smallestEmoji, let description = emojiDescriptions[scalar] {
                if !previousWasSpace { translated.append(" ") }
                translated.append(contentsOf: description)
                previousWasSpace = false
            } else {
                translated.append(scalar)
                previousWasSpace = scalar == " "
            }
        }
        let stripped = Array(PythonString.stripWhitespace(translated))
        var words: [VaderWord] = []
        var upperCount = 0
        for token in PythonString.splitOnWhitespace(stripped) {
            let withoutPunctuation = PythonString.stripPunctuation(token)
            let word = withoutPunctuation.count <= 2 ? token : withoutPunctuation
            let isUpper = PythonString.isUpper(word)
            if isUpper { upperCount += 1 }
            words.append(VaderWord(lower: ExactText(PythonString.lower(word)), isUpper: isUpper))
        }
        self.scalars = stripped
        self.words = words
        let differential = words.count - upperCount
        self.isCapDifferential = differential > 0 && differential < words.count
    }

    /// How many times `mark` occurs in the text (`text.count(mark)`).
    func count(of mark: Unicode.Scalar) -> Int {
        scalars.reduce(0) { $0 + ($1 == mark ? 1 : 0) }
    }
}
