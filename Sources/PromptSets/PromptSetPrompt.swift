import Foundation
import Hashing

/// One prompt of a prompt set, ready to sample.
///
/// Ids are stable: they depend only on the set name, the template text, the group id and the term (or the
/// fixed prompt's text), never on the position of other entries in the file:
///
/// - `templateID` = `<set>/<template-hash>`, where `<template-hash>` is 8 hex digits of the 64-bit FNV-1a
///   hash of the template's UTF-8 text (folded to 32 bits). All counterfactual prompts of one template
///   share it, so the audit can give them the same random streams.
/// - `id` = `<templateID>/<group>/<term-slug>` for a template prompt, e.g.
///   `names-race-gender/1c3bd2ba/black_female/lakisha`; the slug is the term lowercased with every run of
///   characters other than letters and digits replaced by `-`.
/// - A fixed prompt has `templateID` = `<set>/<text-hash>` and `id` = `<templateID>/<group>`. Its random
///   streams are not its own: every fixed prompt of a set shares the stream key `<set>/fixed-prompts`
///   (``RandomStreams/key(for:)``), so that sample i of each group's fixed prompts draws the same numbers.
public struct Prompt: Codable, Sendable, Equatable, Hashable {
    /// The stable prompt id.
    public var id: String
    /// The name of the prompt set.
    public var set: String
    /// Shared by the counterfactual prompts of one template.
    public var templateID: String
    /// The template's position in the file (`nil` for a fixed prompt); for display order only.
    public var templateIndex: Int?
    /// The template text with its slot (`nil` for a fixed prompt).
    public var template: String?
    /// The group id.
    public var group: String
    /// The term put into the slot (`nil` for a fixed prompt).
    public var term: String?
    /// The term's women's share of employment, when the set gives one.
    public var womenShare: Double?
    /// The prompt text the model sees.
    public var text: String

    /// Creates a prompt.
    public init(
        id: String, set: String, templateID: String, templateIndex: Int?, template: String?, group: String,
        term: String?, womenShare: Double?, text: String
    ) {
        self.id = id
        self.set = set
        self.templateID = templateID
        self.templateIndex = templateIndex
        self.template = template
        self.group = group
        self.term = term
        self.womenShare = womenShare
        self.text = text
    }
}

/// The id scheme of ``Prompt``.
enum PromptSetIdentifiers {
    /// `<set>/<hash of template>`.
    static func templateID(set: String, template: String) -> String {
        "\(set)/\(hash(template))"
    }

    /// `<templateID>/<group>/<slug of term>`.
    static func promptID(templateID: String, group: String, term: String) -> String {
        "\(templateID)/\(group)/\(slug(term))"
    }

    /// 8 lowercase hex digits: 64-bit FNV-1a of the UTF-8 bytes, high half XOR low half.
    static func hash(_ text: String) -> String {
        let value = FNV1a.hash(text)
        let folded = UInt32(truncatingIfNeeded: value >> 32) ^ UInt32(truncatingIfNeeded: value)
        let hex = String(folded, radix: 16)
        return String(repeating: "0", count: 8 - hex.count) + hex
    }

    /// The term lowercased, each run of non-alphanumeric characters turned into one `-`, trimmed of `-`.
    static func slug(_ term: String) -> String {
        var result = ""
        var pendingDash = false
        for character in term.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !result.isEmpty { result.append("-") }
                pendingDash = false
                result.append(character)
            } else {
                pendingDash = true
            }
        }
        return result
    }
}
