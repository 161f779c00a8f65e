import Foundation

/// A template split around its slots: `"The {occupation} said that"` has the slot `occupation`.
///
/// A slot is `{` + a name of letters, digits, `_` or `-` (not starting with a digit or `-`) + `}`. Any other
/// brace is a stray brace, reported by the `slot` lint rule.
struct PromptSetTemplate {
    /// The template as written.
    let text: String
    /// Slot names in order of appearance (a valid template has exactly one).
    let slots: [String]
    /// Whether a `{` or `}` is not part of a slot (nor of an `invalidSlots` name).
    let hasStrayBrace: Bool
    /// Names in braces that read as a slot but are not one: letters beyond ASCII (`{profesión}`) or a digit or
    /// '-' first. Lint names them instead of calling their braces stray and the template slotless (review).
    let invalidSlots: [String]
    /// The text before the first slot.
    private let prefix: String
    /// The text after the first slot.
    private let suffix: String

    /// Splits `text` into its slots.
    init(_ text: String) {
        self.text = text
        var slots: [String] = []
        var invalid: [String] = []
        var stray = false
        var prefix = text
        var suffix = ""
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            if character == "}" {
                stray = true
            } else if character == "{" {
                if let close = text[index...].firstIndex(of: "}"),
                   case let name = String(text[text.index(after: index)..<close]),
                   Self.isSlotName(name) {
                    if slots.isEmpty {
                        prefix = String(text[..<index])
                        suffix = String(text[text.index(after: close)...])
                    }
                    slots.append(name)
                    index = text.index(after: close)
                    continue
                }
                if let close = text[index...].firstIndex(of: "}"),
                   case let name = String(text[text.index(after: index)..<close]), Self.looksLikeSlot(name) {
                    invalid.append(name)
                    index = text.index(after: close)
                    continue
                }
                stray = true
            }
            index = text.index(after: index)
        }
        self.slots = slots
        self.invalidSlots = invalid
        self.hasStrayBrace = stray
        self.prefix = prefix
        self.suffix = suffix
    }

    /// The template with its (first) slot replaced by `term`.
    func filled(with term: String) -> String {
        prefix + term + suffix
    }

    /// A word in braces that is not a slot name: letters (any script), digits, '_' and '-' only.
    private static func looksLikeSlot(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !isSlotName(name) && name.unicodeScalars.allSatisfy {
            $0.properties.isAlphabetic || $0.properties.numericType != nil || $0 == "_" || $0 == "-"
                || $0.properties.generalCategory == .nonspacingMark
        }
    }

    private static func isSlotName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
              first == "_" || (first.properties.isAlphabetic && first.isASCII) else { return false }
        return name.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
        }
    }
}

extension PromptSet {
    /// The names of the templates' slots (`name` for `{name}`), in template order, each once: what a notebook may have
    /// called its term's key.
    public var slotNames: [String] {
        var names: [String] = []
        for template in templates {
            for slot in Self.slotNames(in: template) where !names.contains(slot) { names.append(slot) }
        }
        return names
    }

    /// The names of one template's slots (`person` for `"The {person} said that"`), in order, as written.
    public static func slotNames(in template: String) -> [String] {
        PromptSetTemplate(template).slots
    }
}
