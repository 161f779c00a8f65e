/// A gender lexicon text that cannot be used; every case names the 1-based line at fault.
public enum GenderLexiconError: Error, Equatable, CustomStringConvertible {
    /// The line has no tab between its category and its word.
    case missingTab(line: Int)
    /// The line has more than two tab-separated fields.
    case extraFields(line: Int, count: Int)
    /// The category is not one of the known ones.
    case unknownCategory(name: String, line: Int)
    /// The word after the tab is empty.
    case emptyWord(line: Int)
    /// The word holds a character that splits words (space, hyphen, punctuation), or starts or
    /// ends with an apostrophe, so no text could ever match it.
    case unmatchableWord(word: String, line: Int)
    /// The word was already listed on an earlier line.
    case duplicateWord(word: String, line: Int, firstLine: Int)
    /// The text holds no entries at all.
    case empty

    public var description: String {
        let categories = GenderCategory.allCases.map(\.rawValue).joined(separator: ", ")
        switch self {
        case let .missingTab(line):
            return "gender lexicon line \(line): expected CATEGORY<TAB>word; separate the two with a tab character"
        case let .extraFields(line, count):
            return "gender lexicon line \(line): found \(count) tab-separated fields, expected 2 (CATEGORY<TAB>word)"
        case let .unknownCategory(name, line):
            return "gender lexicon line \(line): unknown category '\(name)'; use one of \(categories)"
        case let .emptyWord(line):
            return "gender lexicon line \(line): the word after the tab is empty; add a word or delete the line"
        case let .unmatchableWord(word, line):
            return "gender lexicon line \(line): '\(word)' can never match, because texts are split into words "
                + "at spaces, hyphens and punctuation; list single words of letters, digits and inner apostrophes"
        case let .duplicateWord(word, line, firstLine):
            return "gender lexicon line \(line): '\(word)' is already listed on line \(firstLine); keep one entry"
        case .empty:
            return "the gender lexicon has no entries; add lines such as 'male<TAB>he'"
        }
    }
}
