import Foundation
import Tokenizers

/// The GPT-2 byte-level BPE vocabulary shipped with the PromptSets target (`Resources/gpt2-tokenizer`), so that
/// `lint` can count tokens without downloading a model. distilgpt2 and gpt2 use this same vocabulary.
public enum BundledTokenizer {
    /// A GPT-2 tokenizer built from the bundled `vocab.json` and `merges.txt`.
    /// - Throws: ``BundledTokenizerError`` when the resources are missing, or the tokenizer's own error
    ///   when they are malformed.
    public static func gpt2() throws -> GPT2Tokenizer {
        try GPT2Tokenizer(vocabulary: resource("vocab.json"), merges: resource("merges.txt"))
    }

    private static func resource(_ name: String) throws -> Data {
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        guard let url = Bundle.module.url(forResource: parts[0], withExtension: parts.count > 1 ? parts[1] : nil,
                                          subdirectory: "Resources/gpt2-tokenizer") else {
            throw BundledTokenizerError.missingResource(name)
        }
        return try Data(contentsOf: url)
    }
}

/// Why the bundled tokenizer could not be built.
public enum BundledTokenizerError: Error, CustomStringConvertible, Equatable {
    /// A resource file is not in the bundle.
    case missingResource(String)

    /// What is missing and what to do.
    public var description: String {
        switch self {
        case .missingResource(let name):
            "error: the bundled GPT-2 tokenizer file \(name) is missing from the PromptSets resources "
                + "(Resources/gpt2-tokenizer); reinstall biasaudit or rebuild with the resources in place"
        }
    }
}

extension Linter {
    /// A linter that counts tokens with the bundled GPT-2 tokenizer.
    /// - Throws: what ``BundledTokenizer/gpt2()`` throws.
    public init() throws {
        let tokenizer = try BundledTokenizer.gpt2()
        self.init(tokenCount: { tokenizer.encode($0).count })
    }
}
