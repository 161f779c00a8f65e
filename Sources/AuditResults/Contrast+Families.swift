import Statistics

extension Contrast {
    /// One family of a prompt set's contrasts: the set under one model, with the positions of its tested contrasts
    /// (those with a ``family`` and a ``pValue``), in the order given, and the Benjamini–Hochberg q-value of each.
    public struct QValueFamily: Sendable, Equatable {
        /// The model (``Contrast/model``) the family's contrasts share.
        public let model: String
        /// Positions in the list given of the family's tested contrasts, ascending.
        public let tested: [Int]
        /// The Benjamini–Hochberg q-value of each of ``tested``, in that order.
        public let qValues: [Double]
    }

    /// The Benjamini–Hochberg q-values of one prompt set's `contrasts` within each family: the set under one model
    /// (``Contrast/model``), over its contrasts that carry a ``family`` and a ``pValue`` (a contrast without a test does
    /// not count in m). The analysis assigns its q-values with this (`SetAnalysis`), and readers of a results file
    /// recompute them with it (`AuditResult.firstMisadjustedQValue`), so the two are one computation, as
    /// ``ModelComparison/qValueFamilies(_:)`` is for the model comparisons. Families come in the order of their first
    /// tested contrast; a model without a tested contrast has no family. The grouping and adjustment are
    /// `benjaminiHochbergWithinFamilies` (Statistics), shared with the model comparisons.
    /// - Throws: `StatisticsError.invalidPValue` for a p-value outside [0, 1] or NaN.
    public static func qValueFamilies(_ contrasts: [Contrast]) throws -> [QValueFamily] {
        let tests: [(family: String, pValue: Double)?] = contrasts.map { contrast in
            contrast.family == nil ? nil : contrast.pValue.map { (family: contrast.model, pValue: $0) }
        }
        return try benjaminiHochbergWithinFamilies(tests).map {
            QValueFamily(model: $0.family, tested: $0.tested, qValues: $0.qValues)
        }
    }
}
