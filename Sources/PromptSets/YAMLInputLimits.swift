import CYaml
import Foundation

/// Bounds on a YAML document (prompt set or policy), checked on libyaml's event stream before the
/// document is composed into nodes.
///
/// Aliases make a small file stand for a huge document (the "billion laughs"): a 561-byte file whose
/// mapping keys are aliases of a nested anchor chain makes the composer hash an exponentially large key.
/// Composing is also recursive, so a deeply nested file could overflow the stack, and a file of millions of tiny
/// values takes seconds and hundreds of MB to compose. This check counts the nodes written, the nodes every alias
/// expands to and the nesting depth as the events stream by, in time linear in the file,
/// and stops at the first bound exceeded (README, "Limits"). A list or mapping tagged as another kind (`!!set`, `!foo`)
/// is refused on the same pass (``YAMLTags/collectionTagMessage(isMapping:tag:)``).
public enum YAMLInputLimits {
    /// The largest file, in bytes.
    public static let maximumBytes = 8 << 20
    /// The most nodes that aliases may add to the document once expanded (the document's own nodes are
    /// bounded by ``maximumNodes``).
    public static let maximumExpandedNodes = 100_000
    /// The deepest nesting of sequences and mappings.
    public static let maximumDepth = 64
    /// The most nodes (scalars, aliases, sequences, mappings) written in the document. The largest prompt set the other
    /// limits allow holds about 100,000 (20,000 prompts of one template, each term written `{term: …, women_share: …}`:
    /// 5 nodes), a policy of 1,000 rules about 20,000; one with 50 groups of 1,000 such terms, about 250,000, stays below
    /// this bound so that it is refused in the words of the limit it passes (its prompt count). An 8 MiB file of 4 million
    /// one-character scalars took 15–24 s and 600 MB to compose before its type was checked.
    public static let maximumNodes = 300_000

    /// A bound that a document exceeds, or a list or mapping tagged as another kind, with its 1-based line and column.
    public struct Violation: Error, Equatable {
        /// 1-based line.
        public var line: Int
        /// 1-based column.
        public var column: Int
        /// What is wrong and what to do.
        public var message: String
        /// Whether it is a tag on a list or mapping (``YAMLTags/collectionTagMessage(isMapping:tag:)``): a fault of the
        /// document's structure rather than of its size.
        public var isCollectionTag = false
    }

    /// Checks `text` against the bounds. Syntax errors are left to the composer, which reports them with
    /// their own words.
    /// - Returns: the first bound exceeded, or `nil`.
    public static func check(_ text: String) -> Violation? {
        let bytes = Array(text.utf8)
        guard bytes.count <= maximumBytes else {
            return Violation(line: 1, column: 1, message: "the file is \(bytes.count) bytes, more than the limit of "
                + "\(maximumBytes) bytes (README, \"Limits\"); split it into several files")
        }
        var parser = yaml_parser_t()
        guard yaml_parser_initialize(&parser) == 1 else { return nil }
        defer { yaml_parser_delete(&parser) }
        return bytes.withUnsafeBufferPointer { buffer in
            yaml_parser_set_input_string(&parser, buffer.baseAddress, buffer.count)
            return scan(&parser)
        }
    }

    private struct Collection {
        var anchor: String?
        var isMapping: Bool
        var nodes = 1
        var children = 0
    }

    private static func scan(_ parser: inout yaml_parser_t) -> Violation? {
        var stack: [Collection] = []
        var anchorSizes: [String: Int] = [:]
        var total = 0  // nodes added by aliases
        var written = 0  // nodes written in the document
        var event = yaml_event_t()
        while yaml_parser_parse(&parser, &event) == 1 {
            defer { yaml_event_delete(&event) }
            let mark = event.start_mark
            func violation(_ message: String) -> Violation {
                Violation(line: Int(mark.line) + 1, column: Int(mark.column) + 1, message: message)
            }
            // The size of a finished node, added to its parent; `isAliasedCollection` for an alias of a
            // sequence or mapping, which as a mapping key is what made the composer's hashing explode.
            var finished: (size: Int, isAliasedCollection: Bool)?
            if [YAML_SCALAR_EVENT, YAML_ALIAS_EVENT, YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT].contains(event.type) {
                written += 1
                guard written <= maximumNodes else {
                    return violation("the document holds more than \(maximumNodes) values, lists and mappings, the limit "
                        + "(README, \"Limits\"); the largest prompt set the other limits allow holds about 100,000: check "
                        + "that this is the file you meant")
                }
            }
            switch event.type {
            case YAML_STREAM_END_EVENT:
                return nil
            case YAML_SCALAR_EVENT:
                if let anchor = string(event.data.scalar.anchor) { anchorSizes[anchor] = 1 }
                finished = (1, false)
            case YAML_ALIAS_EVENT:
                let size = string(event.data.alias.anchor).flatMap { anchorSizes[$0] } ?? 1
                finished = (size, size > 1)
            case YAML_SEQUENCE_START_EVENT, YAML_MAPPING_START_EVENT:
                guard stack.count < maximumDepth else { return violation(tooDeep) }
                let isMapping = event.type == YAML_MAPPING_START_EVENT
                let anchor = string(isMapping ? event.data.mapping_start.anchor : event.data.sequence_start.anchor)
                let tag = string(isMapping ? event.data.mapping_start.tag : event.data.sequence_start.tag)
                if let tag, let shown = YAMLTags.foreignCollectionTag(tag, isMapping: isMapping) {
                    var refusal = violation(YAMLTags.collectionTagMessage(isMapping: isMapping, tag: shown))
                    refusal.isCollectionTag = true
                    return refusal
                }
                stack.append(Collection(anchor: anchor, isMapping: isMapping))
            case YAML_SEQUENCE_END_EVENT, YAML_MAPPING_END_EVENT:
                guard let collection = stack.popLast() else { return nil }
                if let anchor = collection.anchor { anchorSizes[anchor] = collection.nodes }
                finished = (collection.nodes, false)
            default:
                break
            }
            if event.type == YAML_ALIAS_EVENT {
                total = min(total + (finished?.size ?? 1), maximumExpandedNodes + 1)
            }
            guard total <= maximumExpandedNodes else {
                return violation("aliases expand to more than \(maximumExpandedNodes) nodes "
                    + "(README, \"Limits\"); write the values out instead of nesting aliases")
            }
            guard let (size, isAliasedCollection) = finished else { continue }
            guard var parent = stack.popLast() else { continue }
            if parent.isMapping, parent.children % 2 == 0, isAliasedCollection {
                return violation("a mapping key is an alias of a sequence or mapping; keys must be plain text")
            }
            parent.children += 1
            parent.nodes = min(parent.nodes + size, maximumExpandedNodes + 1)
            stack.append(parent)
        }
        // libyaml stops at its own nesting limit (1000 flow levels, found while scanning ahead) before the events
        // reach ours; its words ("set with yaml_set_max_nest_level()") name an API, not what to do.
        if parser.error != YAML_NO_ERROR, let problem = parser.problem.map({ String(cString: $0) }),
            problem.hasPrefix("Maximum nesting level")
        {
            return Violation(line: Int(parser.problem_mark.line) + 1, column: Int(parser.problem_mark.column) + 1, message: tooDeep)
        }
        return nil
    }

    private static var tooDeep: String {
        "sequences and mappings are nested more than \(maximumDepth) deep (README, \"Limits\"); flatten the document"
    }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
        pointer.map { String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self)) }
    }
}
