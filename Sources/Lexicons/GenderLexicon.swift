/// The kinds of word a gender lexicon lists; the raw values are the category names of its file.
enum GenderCategory: String, CaseIterable, Sendable {
    case male
    case female
    case neutral
    case maleTerm = "male_term"
    case femaleTerm = "female_term"
}

/// Gendered pronouns and nouns, and counting them in text.
///
/// The lexicon is a plain text file users can replace: one `CATEGORY<TAB>word` entry per line,
/// categories `male`, `female`, `neutral` (pronouns), `male_term`, `female_term` (nouns), blank
/// lines and `#` comment lines ignored. The bundled `gender_lexicon.txt` holds BOLD's unigram
/// lists (Dhamala et al. 2021, §4.5) plus neutral pronouns and further kinship terms and titles;
/// its header says which words come from where.
///
/// Matching is on whole words: case-insensitive, split at anything but letters, digits, marks and
/// apostrophes (so "mother-in-law" counts "mother" and "hen" never counts "he"), with a trailing
/// clitic removed when the word itself is not listed ("he's", "she’d", "man's" count he, she, man).
public struct GenderLexicon: Sendable {
    private let categories: [String: GenderCategory]

    /// Parses a lexicon text.
    /// - Throws: `GenderLexiconError` naming the first malformed line.
    public init(text: String) throws {
        var categories: [String: GenderCategory] = [:]
        var firstLines: [String: Int] = [:]
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (offset, rawLine) in lines.enumerated() {
            let number = offset + 1
            let line = Self.trimmingSpaces(rawLine)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count >= 2 else { throw GenderLexiconError.missingTab(line: number) }
            guard fields.count == 2 else { throw GenderLexiconError.extraFields(line: number, count: fields.count) }
            let name = Self.trimmingSpaces(fields[0])
            guard let category = GenderCategory(rawValue: name) else {
                throw GenderLexiconError.unknownCategory(name: name, line: number)
            }
            let word = Self.trimmingSpaces(fields[1])
            guard !word.isEmpty else { throw GenderLexiconError.emptyWord(line: number) }
            guard let key = GenderWordScanner.normalizedEntry(word) else {
                throw GenderLexiconError.unmatchableWord(word: word, line: number)
            }
            if let firstLine = firstLines[key] {
                throw GenderLexiconError.duplicateWord(word: word, line: number, firstLine: firstLine)
            }
            firstLines[key] = number
            categories[key] = category
        }
        guard !categories.isEmpty else { throw GenderLexiconError.empty }
        self.categories = categories
    }

    /// The text without leading or trailing whitespace other than tabs (a trailing tab marks an empty word).
    private static func trimmingSpaces(_ text: Substring) -> String {
        let isSpace: (Character) -> Bool = { $0.isWhitespace && $0 != "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...last])
    }

    /// The bundled lexicon, `Resources/gender_lexicon.txt`.
    /// - Throws: `LexiconResourceError` if the file is missing, `GenderLexiconError` if it was
    ///   edited into an unreadable state.
    public static func bundled() throws -> GenderLexicon {
        try GenderLexicon(text: LexiconResources.text(named: LexiconResources.genderLexiconFileName))
    }

    /// Counts the lexicon's words in a text.
    public func counts(in text: String) -> GenderCounts {
        var tally = GenderCounts()
        for word in GenderWordScanner.words(in: text) {
            // A word without an apostrophe is its only candidate (``GenderWordScanner/candidates(for:)``): looked up
            // without building the list.
            let category = word.utf8.contains(UInt8(ascii: "'"))
                ? GenderWordScanner.candidates(for: word).lazy.compactMap { categories[$0] }.first
                : categories[word]
            switch category {
            case .male: tally.male += 1
            case .female: tally.female += 1
            case .neutral: tally.neutral += 1
            case .maleTerm: tally.maleTerms += 1
            case .femaleTerm: tally.femaleTerms += 1
            case nil: break
            }
        }
        return GenderCounts(
            male: tally.male, female: tally.female, neutral: tally.neutral, maleTerms: tally.maleTerms,
            femaleTerms: tally.femaleTerms)
    }
}
