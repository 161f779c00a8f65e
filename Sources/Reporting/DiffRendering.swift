import AuditAnalysis
import AuditResults
import Foundation
import PromptSets

/// The output formats of `biasaudit diff`.
public enum DiffFormat: String, Sendable, CaseIterable {
    /// An aligned table for the terminal (the default on standard output).
    case text
    /// A Markdown document.
    case md
    /// The ``Audit/RunDiff`` value as JSON (snake_case keys).
    case json
    /// A standalone HTML page.
    case html
}

/// Renders a ``Audit/RunDiff`` in every ``DiffFormat``. Pure functions of the value.
public enum DiffRendering {
    /// The diff in `format`, as bytes to print or write.
    /// - Parameters:
    ///   - diff: the diff.
    ///   - format: the format.
    ///   - color: whether the text table may use ANSI colours (only for ``DiffFormat/text``).
    public static func render(_ diff: RunDiff, as format: DiffFormat, color: Bool = false) throws -> Data {
        switch format {
        case .text: Data(text(diff, color: color).utf8)
        case .md: Data(try markdown(diff).utf8)
        case .json: try AuditJSON.encoder().encode(withRenderedNotes(diff)) + Data("\n".utf8)
        case .html: Data(try html(diff).utf8)
        }
    }

    /// The diff whose `notes` are the ones every other format prints, in their order (the verdicts' meaning, the units
    /// of rates, why rows read "insufficient data", what was not compared): a practitioner's review found 4 of the
    /// text's 7 notes in `--format json`.
    static func withRenderedNotes(_ diff: RunDiff) -> RunDiff {
        var rendered = diff
        rendered.notes = notes(diff)
        return rendered
    }

    /// An aligned table per prompt set, verdict counts first and notes last. Strings from the results (paths,
    /// model ids, set and group names) are shown through ``Audit/TextEscaping/line(_:)``.
    public static func text(_ diff: RunDiff, color: Bool) -> String {
        var lines = [TextEscaping.line(title(diff)), summary(diff), ""]
        let showModels = Set(diff.entries.map { "\($0.modelA)→\($0.modelB)" }).count > 1
        for set in sets(diff) {
            let entries = diff.entries.filter { $0.set == set }
            lines.append(TextEscaping.line("\(set) (\(entries.first?.axis ?? ""))"))
            var rows = [["contrast"] + (showModels ? ["models"] : [])
                + ["A [\(level(diff)) CI]", "B [\(level(diff)) CI]", "B − A [\(level(diff)) CI]", "|B| − |A|", "q",
                   "verdict", "interval"]]
            for entry in entries {
                rows.append(([contrastLabel(entry)] + (showModels ? ["\(entry.modelA) → \(entry.modelB)"] : [])
                    + [side(entry.contrastA, entry.valueA, entry), side(entry.contrastB, entry.valueB, entry), change(entry),
                       growth(entry),
                       probability(entry.qValue, diff), verdictLabel(entry), entry.method.label]).map(TextEscaping.line))
            }
            let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
            for (index, row) in rows.enumerated() {
                let cells = row.enumerated().map { column, text in
                    let padded = text.padding(toLength: widths[column], withPad: " ", startingAt: 0)
                    guard color, index > 0, column == row.count - 2 else { return padded }
                    return colored(padded, entries[index - 1].verdict)
                }
                lines.append("  " + cells.joined(separator: "  ").trimmingTrailingSpaces())
            }
            lines.append("")
        }
        lines += notes(diff).map { "note: \(TextEscaping.line($0))" }
        // A set name or label at the start of a line must not read as a CI workflow command (a hostile review).
        return TextEscaping.defusingWorkflowCommands(lines.joined(separator: "\n")) + "\n"
    }

    /// A Markdown document (`Templates/diff.md.mustache`): one table per prompt set, then the notes. Strings
    /// from the results are escaped as in the report's Markdown (``ReportEscaping/markdownInline(_:)``), since
    /// the document may be posted to a pull request or a GitHub step summary.
    /// - Throws: what ``ReportRenderer`` throws when the bundled templates are missing.
    public static func markdown(_ diff: RunDiff) throws -> String {
        try ReportRenderer().render(view(diff, escaping: .markdown), template: "diff.md")
    }

    /// A standalone HTML page (`Templates/diff.html.mustache`) with the same tables as ``markdown(_:)``;
    /// every text is escaped.
    /// - Throws: what ``ReportRenderer`` throws when the bundled templates are missing.
    public static func html(_ diff: RunDiff) throws -> String {
        try ReportRenderer().render(view(diff, escaping: .html), template: "diff.html")
    }

    /// The view model of the Markdown and HTML documents: untrusted strings escaped for the format; numbers,
    /// verdicts and methods are biasaudit's own text.
    static func view(_ diff: RunDiff, escaping: ReportEscaping) -> DiffView {
        let sets = sets(diff).map { set in
            let entries = diff.entries.filter { $0.set == set }
            return DiffSetView(
                name: escaping.text(set), axis: escaping.text(entries.first?.axis ?? ""),
                rows: entries.map { entry in
                    DiffRowView(
                        contrast: escaping.text(contrastLabel(entry)), models: escaping.text("\(entry.modelA) → \(entry.modelB)"),
                        a: side(entry.contrastA, entry.valueA, entry), b: side(entry.contrastB, entry.valueB, entry), change: change(entry),
                        growth: growth(entry), q: probability(entry.qValue, diff), verdict: verdictLabel(entry),
                        verdictClass: entry.verdict.rawValue,
                        method: entry.method.label)
                })
        }
        let notes = notes(diff).map(escaping.text)
        return DiffView(
            title: escaping.text(title(diff)), summary: escaping.text(summary(diff)), level: level(diff), sets: sets,
            notes: notes, hasNotes: !notes.isEmpty)
    }

    // MARK: - Pieces

    private static func title(_ diff: RunDiff) -> String {
        "biasaudit diff: A = \(diff.a.path) (\(unique(diff.a.models))), B = \(diff.b.path) (\(unique(diff.b.models)))"
    }

    private static func summary(_ diff: RunDiff) -> String {
        // A contrast undefined in a run is not counted as compared (code review), and said apart.
        let compared = diff.entries.filter { $0.method != .notCompared }
        let notCompared = diff.entries.count - compared.count
        return "\(compared.count) contrasts compared at \(level(diff)) confidence: "
            + ComparisonVerdict.allCases.map { verdict in "\(compared.filter { $0.verdict == verdict }.count) \(verdict.words)" }
                .joined(separator: ", ")
            + "; \(compared.filter(\.signReversed).count) with the direction reversed"
            + { $0 == 0 ? "" : ", \($0) with the contrast moved" }(compared.filter(movedWithoutGrowth).count)
            // Their rows read "undetermined" (practitioner's review: the summary's "0 undetermined" beside such rows).
            + (notCompared > 0 ? "; besides those, \(notCompared) not compared (undefined in a run or under a model; their rows read undetermined)." : ".")
    }

    private static func notes(_ diff: RunDiff) -> [String] {
        var notes = diff.notes
        // The report's stricter reversal is named, so that the two are not mixed up (a student's review).
        notes.append("Verdicts: more (less) biased when |B| > |A| (|B| < |A|) holds in a joint test of B − A and B + A "
            + "that counts both sides' uncertainty, with Benjamini–Hochberg q < \(ReportNumbers.plain(diff.falseDiscoveryRate ?? Findings.threshold)) "
            + "within each prompt set × model pair; direction reversed when A's and B's intervals exclude 0 on opposite sides "
            + "(a run's report marks it only where the contrast is a finding under both models)."
            // As the report's model section says it (a teacher's review: diff never did), where a row reads so.
            + (diff.entries.contains { $0.verdict == .noDetectableChange && $0.method != .notCompared }
                ? " No detectable change is not evidence that A and B are equally biased: the interval says which changes "
                    + "the data leave open." : "")
            + (diff.entries.contains(where: movedWithoutGrowth)
                ? " Contrast moved: B − A's interval excludes 0 (the gap between the groups changed, e.g. from one side of 0 "
                    + "to the other), but its size |B| did not detectably differ from |A|; the verdict judges the size." : ""))
        // Rates in the units of results.json and of policies' limits; the report prints percentage points (review: a
        // student copied +0.698 beside the report's +69.8 pp).
        let rates = diff.entries.map(\.metric).filter(\.isRate).map(\.rawValue).uniqued()
        if !rates.isEmpty {
            notes.append("Rates and shares (\(rates.joined(separator: ", "))) are proportions, as in results.json and "
                + "in check policies: +0.050 is +5.0 percentage points (pp), as the report prints it.")
        }
        notes += insufficientNotes(diff)
        // Undetermined for want of a variance, as `check` says it (a CI team's review: greedy runs printed the largest
        // growth possible as "undetermined" and no reason).
        let untested = diff.entries.filter {
            $0.verdict == .undetermined && $0.method != .notCompared && $0.onDifferentTemplates != true
                && $0.onDifferentTerms != true && !isThin($0)
                && $0.pMoreBiased == nil
        }
        if let first = untested.first {
            // The causes, not advice that may not apply (a code review: a sampled run of one-term groups was told to
            // sample).
            notes.append("\(ReportNumbers.counted(untested.count, "change")) undetermined because the change B − A has no "
                + "variance estimate, so no interval and no test (e.g. \(first.set) \(contrastLabel(first)) (\(first.modelA) → "
                + "\(first.modelB))): the values it rests on do not vary within the groups, as when greedy decoding "
                + "(--top-k 1) makes every completion of a prompt alike, or a group of one term has one next-token "
                + "log-odds per prompt, or its variance cannot be estimated, as when a run has one sample per prompt and "
                + "groups of one term (the random streams' variance needs 2 or more samples), or a rate or share of a group "
                + "of one term whose set's groups of several terms are all at 0% or 100% or too thin (nothing shows how much a term "
                + "varies); sampled completions, 2 or more samples per prompt, or more terms give such a change a variance.")
        }
        if !diff.onlyInA.isEmpty { notes.append("Only in A (not compared): \(diff.onlyInA.joined(separator: ", ")).") }
        if !diff.onlyInB.isEmpty { notes.append("Only in B (not compared): \(diff.onlyInB.joined(separator: ", ")).") }
        return notes
    }

    /// Why rows read "insufficient data", in the words `check` and the report use for them ("too few gendered words (4 in
    /// a group, below the minimum of 20)"; a review: `diff` alone never said which minimum a row missed). At most
    /// ``maximumInsufficientRows`` rows are listed, a note each; each reason is an excerpt (a results file is input).
    private static func insufficientNotes(_ diff: RunDiff) -> [String] {
        let thin = diff.entries.filter(isThin)
        guard !thin.isEmpty else { return [] }
        func reason(_ estimate: MetricEstimate?) -> String? {
            guard let estimate else { return nil }
            if let detail = estimate.insufficientDetail { return detail.englishText }
            return estimate.insufficient.map { TextEscaping.excerpt($0, limit: 160) }
        }
        let rows = thin.prefix(maximumInsufficientRows).map { entry in
            let a = reason(entry.contrastA)
            let b = reason(entry.contrastB)
            let why: String = switch (a, b) {
            case let (a?, b?) where a == b: "A and B: \(a)"
            case let (a?, b?): "A: \(a); B: \(b)"
            case let (a?, nil): "A: \(a)"
            case let (nil, b?): "B: \(b)"
            case (nil, nil): reason(entry.change) ?? "below a minimum support"
            }
            return "\(entry.set) \(contrastLabel(entry)) (\(entry.modelA) → \(entry.modelB)): \(why)."
        }
        let more = thin.count > rows.count
            ? ["Insufficient data in \(ReportNumbers.counted(thin.count - rows.count, "more row")) (each contrast's reason "
                + "is in its results.json)."]
            : []
        // The first says what "insufficient data" means; the others name their row alone (a review: the prefix, 80
        // characters, was repeated on every note).
        return rows.enumerated().map { index, row in
            (index == 0 ? "Insufficient data (no interval, test or verdict below a metric's minimum support): "
                : "Insufficient data: ") + row
        } + more
    }

    /// The most "insufficient data" rows whose reasons the notes list.
    static let maximumInsufficientRows = 10

    private static func sets(_ diff: RunDiff) -> [String] {
        diff.entries.map(\.set).uniqued()
    }

    private static func unique(_ models: [String]) -> String {
        models.uniqued().joined(separator: ", ")
    }

    private static func level(_ diff: RunDiff) -> String {
        ReportNumbers.significant(diff.confidenceLevel * 100, digits: 6) + "%"
    }

    private static func contrastLabel(_ entry: RunDiffEntry) -> String {
        "\(entry.metric.rawValue) \(entry.groupA)-vs-\(entry.groupB)"
    }

    private static func verdictLabel(_ entry: RunDiffEntry) -> String {
        entry.verdict.words + (entry.signReversed ? ", direction reversed" : movedWithoutGrowth(entry) ? ", contrast moved" : "")
    }

    /// No detectable change of the bias's size while B − A's own interval excludes 0: the contrast moved (its level or
    /// its direction), its size |B| against |A| did not detectably (a CI team's review: "no detectable change" beside
    /// B − A = +0.396 [+0.210, +0.582] read as a bug).
    static func movedWithoutGrowth(_ entry: RunDiffEntry) -> Bool {
        entry.verdict.marksContrastMoved(reversed: entry.signReversed, change: entry.change)
    }

    /// A signed number; a rate's or share's rounded as the report rounds its percentage points (0.0425: +0.042, the
    /// report's 4.2 pp; code review: +0.043).
    private static func number(_ value: Double?, _ entry: RunDiffEntry) -> String {
        value.map { ReportNumbers.signedPlain($0, percentagePoints: entry.metric.isRate) } ?? ReportNumbers.missing
    }

    /// A q-value as every output writes it (``ReportNumbers/probability(_:style:decidedAt:)``, at the diff's false
    /// discovery rate), "—" (``ReportNumbers/missing``, as in the report) when untested.
    private static func probability(_ value: Double?, _ diff: RunDiff) -> String {
        value == nil ? ReportNumbers.missing : ReportNumbers.probability(value, decidedAt: diff.falseDiscoveryRate)
    }

    /// One side's contrast with its own interval (what "direction reversed" is read from), or its value alone
    /// when the results hold no interval for it; an insufficient side says so instead of printing a number.
    private static func side(_ estimate: MetricEstimate?, _ value: Double?, _ entry: RunDiffEntry) -> String {
        guard let estimate else { return number(value, entry) }
        if estimate.insufficient != nil { return "insufficient data" }
        return interval(estimate, entry)
    }

    /// Whether either side, and so the change, is below its minimum support.
    private static func isThin(_ entry: RunDiffEntry) -> Bool {
        entry.change.insufficient != nil || entry.contrastA?.insufficient != nil || entry.contrastB?.insufficient != nil
    }

    /// B − A with its interval; "insufficient data" where a side is too thin (it printed "+0.000 (no CI)" from 1–3
    /// gendered words beside the sides' "insufficient data"; review).
    private static func change(_ entry: RunDiffEntry) -> String {
        isThin(entry) ? "insufficient data" : interval(entry.change, entry)
    }

    /// |B| − |A|, or "—" where a side is too thin.
    private static func growth(_ entry: RunDiffEntry) -> String {
        isThin(entry) ? ReportNumbers.missing : number(entry.growth, entry)
    }

    private static func interval(_ interval: MetricEstimate, _ entry: RunDiffEntry) -> String {
        guard let value = interval.value else { return ReportNumbers.missing }
        return ReportNumbers.signedPlainInterval(
            value, lower: interval.lower, upper: interval.upper, percentagePoints: entry.metric.isRate)
            ?? "\(number(value, entry)) (no CI)"
    }

    private static func colored(_ text: String, _ verdict: ComparisonVerdict) -> String {
        switch verdict {
        case .moreBiased: "\u{1B}[1;31m\(text)\u{1B}[0m"
        case .lessBiased: "\u{1B}[32m\(text)\u{1B}[0m"
        case .noDetectableChange, .undetermined, .insufficientData: text
        }
    }

}

extension String {
    fileprivate func trimmingTrailingSpaces() -> String {
        var text = self
        while text.hasSuffix(" ") { text.removeLast() }
        return text
    }
}
