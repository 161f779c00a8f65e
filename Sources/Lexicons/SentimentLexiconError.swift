/// A VADER lexicon or emoji table that cannot be read.
public enum SentimentLexiconError: Error, Equatable, CustomStringConvertible {
    /// A non-empty line has no tab between its token and its value.
    case missingTab(table: String, line: Int)
    /// A lexicon line's second field is not a finite number.
    case invalidValence(token: String, value: String, line: Int)

    public var description: String {
        switch self {
        case let .missingTab(table, line):
            return "\(table) line \(line): expected TOKEN<TAB>VALUE but found no tab; separate the fields with a tab character"
        case let .invalidValence(token, value, line):
            return "sentiment lexicon line \(line): the valence '\(value)' of '\(token)' is not a finite number; write a decimal such as -1.5"
        }
    }
}
