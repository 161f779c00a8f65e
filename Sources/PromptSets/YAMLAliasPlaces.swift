import Yams

/// Places each value that a YAML alias gives at the alias, not at its anchor.
///
/// Yams composes an alias (`max_new_tokens: *d`, `terms: *t`, `<<: *base`) into a copy of the anchored node, whose
/// `mark` is the anchor's place: a value that was wrong only where it was used through an alias was reported at the
/// anchor, where it may be valid, and the line to fix was never named (a hostile review: `defaults: {max_new_tokens: *d}`
/// blamed `description: &d x` on line 2). An anchor always comes before its aliases, so a mapping value placed before its
/// own key came through an alias, and is placed at its key. Only that node moves: what it holds keeps the anchor's places,
/// so that two copies of one item still show as one place written twice (``YAMLAliasPlaces/repeatedThroughAlias``). List
/// items are left at their anchors: a policy tells a rule repeated through an alias (`- *r`) by its place.
public enum YAMLAliasPlaces {
    /// `node` with every value given through an alias placed at its use (recursively; the tree's size is bounded by
    /// ``YAMLInputLimits``, which counts what aliases expand to). Unchanged subtrees are returned as they are.
    public static func placedAtUse(_ node: Node) -> Node {
        moved(node) ?? node
    }

    /// `node` with its aliased values placed at their use, or nil when none is.
    private static func moved(_ node: Node) -> Node? {
        switch node {
        case .mapping(let mapping):
            var changed = false
            let pairs: [(Node, Node)] = mapping.map { key, value in
                var result = value
                if let inner = moved(value) { (result, changed) = (inner, true) }
                if let keyMark = key.mark, let valueMark = value.mark, precedes(valueMark, keyMark) {
                    (result, changed) = (placed(result, at: keyMark), true)
                }
                return (key, result)
            }
            guard changed else { return nil }
            return .mapping(Node.Mapping(pairs, mapping.tag, mapping.style, mapping.mark, mapping.anchor))
        case .sequence(let sequence):
            var changed = false
            let items: [Node] = sequence.map { item in
                var result = item
                if let inner = moved(item) { (result, changed) = (inner, true) }
                return result
            }
            guard changed else { return nil }
            return .sequence(Node.Sequence(items, sequence.tag, sequence.style, sequence.mark, sequence.anchor))
        case .scalar, .alias:
            return nil
        }
    }

    /// The words a "given twice (first at L:C)" finding adds when both copies are at one place: the second is the first
    /// again through an alias.
    public static let repeatedThroughAlias = "; both at one place: a YAML alias (*name) repeats what its anchor "
        + "(&name) holds, and YAML places the copy at the anchor"

    private static func precedes(_ a: Mark, _ b: Mark) -> Bool {
        (a.line, a.column) < (b.line, b.column)
    }

    /// `node` placed at `use` when its own place comes before it (it came through an alias: a mapping merged by `<<: *a`,
    /// or a value of such a mapping); else unchanged.
    public static func placed(_ node: Node, usedAt use: Mark) -> Node {
        guard let mark = node.mark, precedes(mark, use) else { return node }
        return placed(node, at: use)
    }

    /// `node` placed at `mark` (its own place only).
    private static func placed(_ node: Node, at mark: Mark) -> Node {
        switch node {
        case .scalar(var scalar):
            scalar.mark = mark
            return .scalar(scalar)
        case .mapping(var mapping):
            mapping.mark = mark
            return .mapping(mapping)
        case .sequence(var sequence):
            sequence.mark = mark
            return .sequence(sequence)
        case .alias(var alias):
            alias.mark = mark
            return .alias(alias)
        }
    }
}
