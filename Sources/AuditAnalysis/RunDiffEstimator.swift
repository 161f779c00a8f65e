import AuditResults
import Foundation
import InputFiles
import PromptSets
import Statistics

/// Compares one contrast between two runs by the best method the inputs allow (paired from the
/// completions, unpaired from the completions, or from the two summaries) and remembers which
/// methods it used for the notes of the diff.
struct ChangeEstimator {
    private struct Key: Hashable {
        var set: String
        var model: String
    }

    private let recordsA: [Key: [CompletionRecord]]?
    private let recordsB: [Key: [CompletionRecord]]?
    /// Each side's completions file, for messages.
    private let completionsPaths: (a: String, b: String)
    private let settings: InferenceSettings
    private var withoutCompletions = 0
    private var used: [DiffMethod: Int] = [:]
    private let decoding: (a: AuditAnalysis.Settings, b: AuditAnalysis.Settings)

    /// Creates an estimator; `nil` completions force the comparison from the two summaries.
    /// `decoding`: each run's recorded settings (``AuditAnalysis/Settings/init(recordedIn:)-(AuditManifest)``), whose
    /// ``AuditAnalysis/Settings/decodedGreedily(_:)`` groups its completions as its own analysis grouped them.
    init(
        a: [CompletionRecord]?, b: [CompletionRecord]?, completionsPaths: (a: String, b: String), settings: InferenceSettings,
        decoding: (a: AuditAnalysis.Settings, b: AuditAnalysis.Settings) = (.init(), .init())
    ) {
        func index(_ records: [CompletionRecord]?) -> [Key: [CompletionRecord]]? {
            records.map { Dictionary(grouping: $0) { Key(set: $0.set, model: $0.model) } }
        }
        (recordsA, recordsB) = (index(a), index(b))
        self.completionsPaths = completionsPaths
        self.settings = settings
        self.decoding = decoding
    }

    /// The comparison of a contrast between the runs (its q-value and verdict are assigned over the
    /// whole diff), and how its interval was obtained.
    /// - Parameters:
    ///   - groupsA: the set's groups in run A.
    ///   - groupsB: the set's groups in run B.
    ///   - paired: whether the two models' completions share random streams
    ///     (``RunComparability/sharesRandomStreams(_:_:modelA:modelB:)``).
    /// - Throws: ``AuditError/badResults(path:reason:)`` when the completions hold invalid scores;
    ///   ``AuditError/badInput(path:reason:)`` when a contrast computed from them is not the one in results.json.
    mutating func compare(
        contrastA: Contrast, contrastB: Contrast, set: String, groupsA: [GroupInfo], groupsB: [GroupInfo],
        modelA: String, modelB: String, paired: Bool
    ) throws -> (ModelComparison, DiffMethod, differentTemplates: Bool) {
        var difference: ModelDifference
        let method: DiffMethod
        // Whether the two contrasts rest on different templates: from the completions where they are compared from
        // them (results of earlier builds carry no templates_compared), else from the results.
        var differentTemplates = !contrastA.comparesTheSameTemplates(as: contrastB)
        let dataA = data(recordsA, set: set, groups: groupsA, model: modelA, contrast: contrastA,
                         greedy: decoding.a.decodedGreedily(modelA))
        let dataB = data(recordsB, set: set, groups: groupsB, model: modelB, contrast: contrastB,
                         greedy: decoding.b.decodedGreedily(modelB))
        // A completions file that lacks the lines of a contrast its results computed (lines dropped, or a file emptied)
        // is not the one the results came from: compared from the standard errors instead, it passed without a word
        // (practitioner's review).
        for (side, records, found, contrast, model, path) in [
            ("A", recordsA, dataA != nil, contrastA, modelA, completionsPaths.a),
            ("B", recordsB, dataB != nil, contrastB, modelB, completionsPaths.b),
        ] where records != nil && !found && contrast.difference.value != nil {
            throw AuditError.badInput(
                path: path,
                reason: "does not match the results next to it: it holds no completions of a group of contrast "
                    + "\(contrast.id) under \(model) (side \(side)), which results.json computed from "
                    + "\(contrast.difference.n) completions; the file lost lines or belongs to another run (move it away "
                    + "to compare from the results alone)")
        }
        if let dataA, let dataB {
            do {
                difference = try modelDifference(
                    first: dataA.contrast, second: dataB.contrast, pairing: paired ? .paired : .unpaired,
                    scale: AuditAnalysis.scale(contrastA.metric), settings: AuditAnalysis.settings(settings, for: contrastA.metric),
                    borrowingFrom: Self.matched(dataA.others, dataB.others))
            } catch let error as StatisticsError {
                throw AuditError.badResults(
                    path: RunDiffInput.completionsFileName,
                    reason: "cannot analyse contrast \(contrastA.id) from the completions: \(error)")
            }
            // The completions must be the ones the results were computed from: a file edited (or copied from
            // another run) would otherwise decide the verdict while each run's own report says otherwise.
            for (side, computed, stored, model, path) in [
                ("A", difference.first.value, contrastA.difference.value, modelA, completionsPaths.a),
                ("B", difference.second.value, contrastB.difference.value, modelB, completionsPaths.b),
            ] where !Self.agree(computed, stored) {
                throw AuditError.badInput(
                    path: path,
                    reason: "does not match the results next to it: contrast \(contrastA.id) under \(model) (side \(side)) is "
                        + "\(stored.map { AuditJSON.numberText($0) } ?? "undefined") in results.json and "
                        + "\(AuditJSON.numberText(computed)) from the completions: the results were computed by another "
                        + "version of the statistics (re-analyse the run with `biasaudit analyze "
                        + "\(PathText.folderOrCurrent(of: path))` "
                        + "and compare its results), or the file was edited or belongs to another run (move it away to "
                        + "compare from the results alone)")
            }
            // A contrast undefined on a side (its groups share no template there) has no change to compute: not
            // compared, as from the results (a review: such rows read "unpaired", "3 changes from the completions").
            let undefined = [contrastA.difference, contrastB.difference].contains(where: \.isUndefined)
            method = undefined ? .notCompared : paired ? .paired : .unpaired
            differentTemplates = dataA.contrast.matchedOnTemplates.templates != dataB.contrast.matchedOnTemplates.templates
        } else {
            // Undefined, not too thin: a contrast below its minimum support has no value either, and keeps its reason.
            let undefined = [contrastA.difference, contrastB.difference].contains(where: \.isUndefined)
            if !undefined, recordsA != nil, recordsB != nil { withoutCompletions += 1 }
            // Two contrasts over different templates (one run's completions missed a group × template cell) are
            // not compared: their change would mix the templates' effects with the models' (undetermined, as from
            // the completions).
            // So are two contrasts on different terms (a practitioner's review: one side without 4 of a group's 8 terms
            // was "more biased"), as from the completions (statistics revision 11). Results record how many terms a
            // contrast rests on (`terms`, under its model), not which: counts that differ are different terms, and a
            // contrast on fewer than its two groups' terms cannot be matched term by term with the other (two code
            // reviews: `terms_with_data` counts any model of a run, and two gaps of one term each, in different groups or
            // for the log-odds, gave equal counts), so it is undetermined too; the completions decide it exactly.
            let differentTerms = !differentTemplates && {
                guard let a = contrastA.difference.terms, let b = contrastB.difference.terms else { return false }
                return a != b || contrastA.restsOnAllTerms(of: groupsA) == false
            }()
            difference = modelDifference(
                first: Self.estimate(contrastA.difference), second: Self.estimate(contrastB.difference),
                sameTemplates: !differentTemplates && !differentTerms, proportion: contrastA.metric.isRate,
                settings: AuditAnalysis.settings(settings, for: contrastA.metric))
            if differentTerms, !undefined, contrastA.difference.insufficient == nil, contrastB.difference.insufficient == nil {
                difference.onDifferentTerms = true
            }
            // A rate's or share's contrast of single terms beside groups of several terms that lend nothing has a value
            // and no variance (`conditional_on_terms`, statistics revision 12): undetermined, as from the completions,
            // also at equal values (a review: from the results alone two such −100 pp contrasts read "no detectable
            // change" at q = 1, and passed a gate the completions failed under --strict).
            if contrastA.metric.isRate, [contrastA.difference, contrastB.difference].contains(where: \.isUnlentSingleTerm) {
                (difference.pLarger, difference.pSmaller) = (nil, nil)
                (difference.change.method, difference.sum.method) = (.conditionalOnTerms, .conditionalOnTerms)
            }
            method = undefined ? .notCompared : .normalApproximation
        }
        used[method, default: 0] += 1
        var comparison = AuditAnalysis.modelComparison(
            difference, contrastID: contrastA.id, set: set, metric: contrastA.metric, modelA: modelA, modelB: modelB,
            groups: [contrastA.groupA, contrastA.groupB])
        if method == .normalApproximation || method == .notCompared {
            // The summaries' reasons are already worded for people ("too few gendered words (…)"): keep them
            // as they are rather than wording them again.
            comparison.contrastA?.insufficient = contrastA.difference.insufficient
            comparison.contrastB?.insufficient = contrastB.difference.insufficient
            comparison.difference.insufficient = contrastA.difference.insufficient ?? contrastB.difference.insufficient
            comparison.contrastA?.insufficientDetail = contrastA.difference.insufficientDetail
            comparison.contrastB?.insufficientDetail = contrastB.difference.insufficientDetail
            comparison.difference.insufficientDetail = contrastA.difference.insufficient != nil
                ? contrastA.difference.insufficientDetail : contrastB.difference.insufficientDetail
        }
        return (comparison, method, differentTemplates)
    }

    /// A results-file estimate as a Statistics estimate (for the comparison from summaries). Its
    /// shortfall only marks the estimate as unsupported: the comparison keeps the file's own reason.
    private static func estimate(_ estimate: MetricEstimate) -> Estimate {
        let shortfall = estimate.insufficient == nil && estimate.insufficientDetail == nil
            ? nil
            : SupportShortfall(
                observed: estimate.insufficientDetail?.observed ?? Int((estimate.weight ?? 0).rounded()),
                minimum: estimate.insufficientDetail?.minimum ?? 0)
        return Estimate(
            value: estimate.value ?? .nan, lower: estimate.lower, upper: estimate.upper, n: estimate.terms ?? 0,
            observations: estimate.n, weight: estimate.weight ?? 0, standardError: estimate.standardError,
            degreesOfFreedom: estimate.degreesOfFreedom, insufficient: shortfall)
    }

    /// Whether a contrast recomputed from the completions is the one stored in results.json: equal to rounding
    /// (1e-9 relative, what reordered sums can change), or undefined in both.
    static func agree(_ computed: Double, _ stored: Double?) -> Bool {
        guard let stored, stored.isFinite else { return !computed.isFinite }
        guard computed.isFinite else { return false }
        return abs(computed - stored) <= 1e-9 * max(1, abs(stored))
    }

    /// Plain-language notes on the methods used; `copiesPairedBy` the unit ("term", "prompt") the changes are paired by
    /// where every compared model of both runs wrote copies of one draw (greedy decoding: no random streams).
    func notes(a: RunDiffInput, b: RunDiffInput, streamDifferences: [String], copiesPairedBy: String? = nil) -> [String] {
        var notes: [String] = []
        if let count = used[.paired] {
            notes.append("\(ReportNumbers.counted(count, "change")) paired by " + (copiesPairedBy.map {
                "\($0): the runs share prompt-set contents, max_new_tokens and sampling parameters, and their samples of a "
                    + "prompt are copies of one draw (no random streams, so neither the seed nor the samples per prompt pair them)."
            } ?? "term and random stream: the runs share prompt-set contents, seed, samples, max_new_tokens and sampling "
                + "parameters (common random numbers)."))
        }
        if let count = used[.unpaired] {
            // "Differ in what pairs": runs of different samples per prompt do share streams 0…n−1 (a statistician's
            // review: "do not share random streams" was false of them), but are not paired on them.
            notes.append("\(ReportNumbers.counted(count, "change")) from the completions, unpaired: the runs differ in what pairs completions by "
                + "random stream (\(streamDifferences.joined(separator: "; "))), so each run's streams are separate clusters "
                + "while a \(RunDiffer.units(of: [a.result, b.result], plural: false)) is one cluster in both runs "
                + "(conservative where some streams are in fact shared).")
        }
        if let count = used[.normalApproximation] {
            let missing = [a, b].filter { $0.completions == nil }.map(\.path)
            let why = !missing.isEmpty
                ? "no \(RunDiffInput.completionsFileName) next to \(missing.joined(separator: " and "))"
                : (withoutCompletions == 1 ? "1 contrast has" : "\(withoutCompletions) contrasts have")
                    + " no completions in \(RunDiffInput.completionsFileName)"
            notes.append("\(ReportNumbers.counted(count, "change")) from the two contrasts' standard errors alone, their covariance taken at its "
                + "least favourable of 0 or more, as two runs of one prompt set's terms make it (Satterthwaite df; an SE implied "
                + "by an interval takes the other side's): \(why).")
        }
        if let count = used[.notCompared] {
            notes.append("\(ReportNumbers.counted(count, "change")) not computed: the contrast is undefined in one run "
                + "(\(RunDiffEntry.whyUndefined)), so its change is undetermined.")
        }
        return notes
    }

    /// The contrast's data from a run's completions with the set's other groups (from which two single-term groups
    /// borrow the variance of a term mean, as in the run's own analysis), or `nil` when either group has none.
    private func data(
        _ records: [Key: [CompletionRecord]]?, set: String, groups: [GroupInfo], model: String, contrast: Contrast,
        greedy: Bool
    ) -> (contrast: ContrastData, others: [(id: String, data: GroupData)])? {
        guard let records = records?[Key(set: set, model: model)],
            records.contains(where: { $0.group == contrast.groupA }),
            records.contains(where: { $0.group == contrast.groupB })
        else { return nil }
        let data = AuditAnalysis.groupData(records: records, groups: groups, metric: contrast.metric, greedy: greedy)
        guard let a = data[contrast.groupA], let b = data[contrast.groupB] else { return nil }
        let others = groups.filter { $0.id != contrast.groupA && $0.id != contrast.groupB }.compactMap { group in
            data[group.id].map { (group.id, $0) }
        }
        return (ContrastData(a: a, b: b), others)
    }

    /// The set's other groups of the two runs matched by id (run A's order, then those only run B has), nil where a
    /// run has none: what `modelDifference` borrows from.
    private static func matched(
        _ a: [(id: String, data: GroupData)], _ b: [(id: String, data: GroupData)]
    ) -> [(first: GroupData?, second: GroupData?)] {
        let inB = Dictionary(b.map { ($0.id, $0.data) }, uniquingKeysWith: { first, _ in first })
        let idsA = Set(a.map(\.id))
        return a.map { ($0.data, inB[$0.id]) } + b.filter { !idsA.contains($0.id) }.map { (nil, $0.data) }
    }
}
