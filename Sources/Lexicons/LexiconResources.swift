import Foundation

/// The lexicon files shipped in this target's `Resources/`, for loading and for recording their
/// SHA-256 in an audit manifest.
public enum LexiconResources {
    /// The VADER word lexicon (vaderSentiment 3.3.2, MIT).
    public static let vaderLexiconFileName = "vader_lexicon.txt"
    /// The VADER emoji table (vaderSentiment 3.3.2, MIT).
    public static let emojiLexiconFileName = "emoji_utf8_lexicon.txt"
    /// The pronoun and gendered-noun lexicon of `GenderLexicon.bundled()`.
    public static let genderLexiconFileName = "gender_lexicon.txt"

    /// Every bundled lexicon file that influences scores, in a fixed order.
    public static var bundledFileNames: [String] {
        [vaderLexiconFileName, emojiLexiconFileName, genderLexiconFileName]
    }

    /// The bytes of a bundled lexicon file.
    /// - Parameter name: one of `bundledFileNames`.
    /// - Throws: `LexiconResourceError` for an unknown name or a file missing from the bundle.
    public static func data(named name: String) throws -> Data {
        guard bundledFileNames.contains(name) else {
            throw LexiconResourceError.unknownFile(name: name, known: bundledFileNames)
        }
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil,
                                          subdirectory: "Resources") else {
            throw LexiconResourceError.missingFile(name: name)
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw LexiconResourceError.unreadableFile(name: name, reason: "\(error)")
        }
    }

    /// A bundled lexicon file decoded as UTF-8.
    /// - Throws: `LexiconResourceError` as `data(named:)` does, or when the file is not valid UTF-8.
    static func text(named name: String) throws -> String {
        guard let text = String(data: try data(named: name), encoding: .utf8) else {
            throw LexiconResourceError.unreadableFile(name: name, reason: "it is not valid UTF-8")
        }
        return text
    }
}

/// A bundled lexicon file that cannot be provided.
public enum LexiconResourceError: Error, Equatable, CustomStringConvertible {
    /// The name is not one of `LexiconResources.bundledFileNames`.
    case unknownFile(name: String, known: [String])
    /// The file is absent from the built resource bundle.
    case missingFile(name: String)
    /// The file exists but could not be read or decoded.
    case unreadableFile(name: String, reason: String)

    public var description: String {
        switch self {
        case let .unknownFile(name, known):
            return "no bundled lexicon is named '\(name)'; use one of \(known.joined(separator: ", "))"
        case let .missingFile(name):
            return "the bundled lexicon '\(name)' is missing from the Lexicons resource bundle; rebuild the package"
        case let .unreadableFile(name, reason):
            return "the bundled lexicon '\(name)' could not be read: \(reason); restore it from the repository"
        }
    }
}
