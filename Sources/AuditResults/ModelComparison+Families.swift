import Statistics

extension ModelComparison {
    /// The p-value a comparison's q-value adjusts: that of the better-supported claim (more or less biased, the smaller
    /// of ``pMoreBiased`` and ``pLessBiased``), or nil when the comparison is untested.
    public var testedPValue: Double? {
        guard let more = pMoreBiased, let less = pLessBiased else { return nil }
        return min(more, less)
    }

    /// One family of verdicts: the positions of its tested comparisons (those with a ``testedPValue``), in the order
    /// given, and the Benjamini–Hochberg q-value of each.
    public struct QValueFamily: Sendable, Equatable {
        /// The prompt set (``ModelComparison/set``) the family's comparisons share.
        public let set: String
        /// Model A and model B, as the family's comparisons name them.
        public let modelA: String
        public let modelB: String
        /// Positions in the list given of the family's tested comparisons, ascending.
        public let tested: [Int]
        /// The Benjamini–Hochberg q-value of each of ``tested``, in that order.
        public let qValues: [Double]
    }

    /// The Benjamini–Hochberg q-values of `comparisons` within each family of verdicts: one prompt set under one
    /// model pair (``ModelComparison/set``, ``modelA``, ``modelB``), over its tested comparisons' ``testedPValue``.
    /// The analysis assigns its q-values with this (`AuditAnalysis.assignComparisonQValues`), and readers of a
    /// results file recompute them with it (`AuditResult.firstInconsistency`), so the two are one computation.
    /// Families come in the order of their first comparison; a family without a tested comparison has no q-value and
    /// is left out. The grouping and adjustment are `benjaminiHochbergWithinFamilies` (Statistics), shared with the
    /// contrasts.
    /// - Throws: `StatisticsError.invalidPValue` for a p-value outside [0, 1] or NaN.
    public static func qValueFamilies(_ comparisons: [ModelComparison]) throws -> [QValueFamily] {
        let tests = comparisons.map { comparison in
            comparison.testedPValue.map {
                (family: FamilyKey(set: comparison.set, modelA: comparison.modelA, modelB: comparison.modelB), pValue: $0)
            }
        }
        return try benjaminiHochbergWithinFamilies(tests).map {
            QValueFamily(
                set: $0.family.set, modelA: $0.family.modelA, modelB: $0.family.modelB, tested: $0.tested,
                qValues: $0.qValues)
        }
    }

    private struct FamilyKey: Hashable {
        let set: String
        let modelA: String
        let modelB: String
    }
}
