extension Sequence where Element == Int {
    /// The sum, saturating at `Int.max` (or `Int.min`) instead of trapping: for counts read from files, which their
    /// range checks bound but which may be summed before (or without) them (hostile review: two group counts of
    /// 9223372036854775807 trapped the consistency check, a shard's timing trapped `merge`).
    public func saturatingSum() -> Int {
        reduce(0) { sum, count in
            let (total, overflow) = sum.addingReportingOverflow(count)
            return overflow ? (count < 0 ? Int.min : Int.max) : total
        }
    }
}
