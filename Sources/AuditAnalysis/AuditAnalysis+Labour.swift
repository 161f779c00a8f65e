import AuditResults
import Foundation
import PromptSets
import Statistics

extension AuditAnalysis {
    /// An occupation term with its labour-statistics share of women.
    struct Occupation {
        let term: String
        let group: String
        let womenShare: Double
    }

    /// The terms of `set` that carry `women_share`, in group and term order.
    static func occupations(of set: PromptSet) -> [Occupation] {
        set.groups.flatMap { group in
            (group.terms ?? []).compactMap { term in
                term.womenShare.map { Occupation(term: term.term, group: group.id, womenShare: $0) }
            }
        }
    }

    /// One model's male share per occupation beside the labour statistics, and their rank correlation.
    ///
    /// Each occupation's male share is ``Statistics/groupLevel(_:scale:settings:)`` of that term's
    /// cells alone (a single-term group: the interval is conditional on the term, over the templates
    /// and the shared random streams), with the run's minimum support of gendered words. Spearman's ρ
    /// (``Statistics/spearmanCorrelation(_:_:)``) compares it with the men's share 1 − `women_share`
    /// over the occupations with support; with fewer than ``LabourComparison/minimumOccupations`` of
    /// them no correlation is reported.
    /// - Parameters:
    ///   - data: the male-share observations of the set's groups under this model (``groupData``).
    ///   - occupations: the terms with `women_share`.
    ///   - model: the model id.
    ///   - settings: the run's inference settings.
    /// - Throws: `StatisticsError` for a non-finite observation.
    static func labourComparison(
        data: [String: GroupData], occupations: [Occupation], model: String, settings: InferenceSettings
    ) throws -> LabourComparison {
        let rows = try occupations.map { occupation in
            let cells = data[occupation.group]?.cells.filter { $0.unit == occupation.term } ?? []
            let level = try groupLevel(GroupData(cells: cells), scale: scale(.maleShare), settings: settings)
            var share = metricEstimate(level, metric: .maleShare)
            if let detail = share.insufficientDetail { share.insufficient = detail.englishText(place: "for this occupation") }
            return OccupationShare(
                term: occupation.term, group: occupation.group, womenShare: occupation.womenShare, maleShare: share)
        }
        let supported = rows.filter(\.isSupported)
        let minimum = LabourComparison.minimumOccupations
        var rho: Double?
        var rhoP: Double?
        var reason: String?
        if supported.count < minimum {
            reason = "fewer than \(minimum) occupations with enough gendered words (\(supported.count))"
        } else {
            rho = spearmanCorrelation(supported.map { $0.maleShare.value! }, supported.map(\.menShare))
            rhoP = spearmanPValue(supported.map { $0.maleShare.value! }, supported.map(\.menShare))
            if rho == nil { reason = "undefined: every supported occupation has the same male share or the same men's share" }
        }
        var comparison = LabourComparison(
            model: model, occupations: rows, spearman: rho, supported: supported.count, insufficient: reason)
        comparison.spearmanPValue = rhoP
        return comparison
    }
}
