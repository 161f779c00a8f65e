/// A string compared and hashed by its exact Unicode scalars, the way Python compares `str`.
///
/// Swift's `String` equality uses canonical equivalence (U+037E GREEK QUESTION MARK equals ";"),
/// which would let VADER match lexicon keys that Python's dictionaries never match.
struct ExactText: Hashable, Sendable {
    /// The wrapped text.
    let string: String

    init(_ string: String) {
        self.string = string
    }

    init(_ scalars: some Sequence<Unicode.Scalar>) {
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        self.string = String(view)
    }

    static func == (lhs: ExactText, rhs: ExactText) -> Bool {
        lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    func hash(into hasher: inout Hasher) {
        var copy = string
        copy.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Whether `needle` occurs in this text as a run of scalars (Python's `needle in text`).
    func contains(_ needle: String) -> Bool {
        let haystack = Array(string.utf8)
        let pattern = Array(needle.utf8)
        guard !pattern.isEmpty, haystack.count >= pattern.count else { return pattern.isEmpty }
        for start in 0...(haystack.count - pattern.count)
        where haystack[start..<(start + pattern.count)].elementsEqual(pattern) {
            return true
        }
        return false
    }

    /// Wraps each string of a literal list.
    static func set(_ strings: [String]) -> Set<ExactText> {
        Set(strings.map { ExactText($0) })
    }
}
