extension Sequence where Element: Hashable {
    /// The elements in order of first appearance, each once.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
