import AuditResults
import Foundation
import PromptSets

/// One saved run as `diff` and `check --baseline` read it: `results.json` and, when present, the
/// `completions.jsonl` next to it (which lets a comparison between runs be computed from the completions).
public struct RunDiffInput: Sendable {
    /// The results file as the user named it.
    public var path: String
    /// The results.
    public var result: AuditResult
    /// Every scored completion of the run, or `nil` when `completions.jsonl` is not next to the results.
    public var completions: [CompletionRecord]?

    /// Creates an input from values.
    public init(path: String, result: AuditResult, completions: [CompletionRecord]?) {
        self.path = path
        self.result = result
        self.completions = completions
    }

    /// The completions file next to ``path``, as the user would name it.
    public var completionsPath: String { Self.completionsPath(besides: path) }

    /// The completions file `diff` and `check --baseline` read next to the results file at `resultsPath` (an input:
    /// no output may be written over it).
    public static func completionsPath(besides resultsPath: String) -> String {
        guard let slash = resultsPath.lastIndex(of: "/") else { return completionsFileName }
        return String(resultsPath[...slash]) + completionsFileName
    }

    /// The name of the completions file written next to `results.json`.
    public static let completionsFileName = "completions.jsonl"

    /// Reads a results file and the `completions.jsonl` in the same directory, if there is one.
    /// - Parameters:
    ///   - url: the results file.
    ///   - displayPath: the path as the user named it (defaults to `url.path`).
    ///   - readCompletions: whether to read `completions.jsonl` (not needed when only the results are used).
    ///   - what: the file in messages ("the results file", "the baseline (--baseline)").
    ///   - ifMissing: what to do when the results file does not exist (default: "check the path").
    /// - Throws: what ``AuditJSON/loadResult(at:)`` throws; ``AuditError/badInput(path:reason:)`` ("bad completions
    ///   file: …", exit 65) for a malformed completions line; ``AuditError/io(path:reason:)`` when the completions
    ///   are unreadable.
    public static func load(
        resultsAt url: URL, displayPath: String? = nil, readCompletions: Bool = true, what: String = "the results file",
        ifMissing: String? = nil
    ) throws -> RunDiffInput {
        let path = displayPath ?? url.path
        let data = try AuditJSON.readResultsFile(url, path: path, what: what, ifMissing: ifMissing)
        let result = try AuditJSON.loadResult(data, path: path)
        let completionsURL = url.deletingLastPathComponent().appendingPathComponent(completionsFileName)
        var input = RunDiffInput(path: path, result: result, completions: nil)
        // Found beside the results, not named: "name a regular file" would ask for an option there is not
        // (practitioner's review, a FIFO completions.jsonl). A link in a loop is said too, not taken for no file
        // (review: `FileManager.fileExists` is false on a loop, and the comparison fell back silently).
        let what = "the completions file beside the results"
        let remedy = "diff and check read the \(completionsFileName) beside a results file: put the run's own "
            + "\(completionsFileName) there, or remove that one to compare from the results alone"
        guard readCompletions else { return input }
        guard try InputFile.exists(completionsURL, path: input.completionsPath, what: what, remedy: remedy) else {
            // A link to nothing is not no file (a hostile review: the comparison fell back to the results alone without
            // a word, where a loop, a FIFO or a folder there is refused).
            if (try? FileManager.default.destinationOfSymbolicLink(atPath: completionsURL.path)) != nil {
                throw AuditError.badInput(
                    path: input.completionsPath, reason: "\(what) is a symbolic link to a file that does not exist; \(remedy)")
            }
            return input
        }
        let lines = try InputFile.read(
            completionsURL, path: input.completionsPath, what: what, limit: InputFile.Limit.results, remedy: remedy)
        try CompletionsDigest.verify(lines, path: input.completionsPath, against: result, remedy: remedy)
        let parsed = try parseCompletionLines(lines, path: input.completionsPath)
        input.completions = parsed.map(\.record)
        try checkGroups(of: parsed.map(\.record), lines: parsed.map(\.line), against: result, path: input.completionsPath)
        return input
    }

    /// Refuses completions whose term is not a term of their group in the results beside them (groups of terms only):
    /// results whose group ids were exchanged, each group keeping its terms and label, printed "Group B − Group A" over
    /// the value of A − B, while `analyze RUN_DIR` of the same folder refused them (a hostile review). Where the results
    /// record the completions' SHA-256 (`CompletionsDigest` checked it), the results were edited; in older results either
    /// file may have been.
    /// - Parameters:
    ///   - lines: each completion's line in the file (blank lines count), or nil for positions 1, 2, ….
    /// - Throws: ``AuditError/badInput(path:reason:)`` (exit 65) at `path:line`.
    public static func checkGroups(
        of completions: [CompletionRecord], lines: [Int]? = nil, against result: AuditResult, path: String
    ) throws {
        var terms: [String: [String: Set<String>]] = [:]
        for set in result.promptSets {
            for group in set.groups where group.fixedPrompts != true {
                terms[set.name, default: [:]][group.id] = Set(group.terms)
            }
        }
        for (index, record) in completions.enumerated() {
            guard let term = record.term, let byGroup = terms[record.set], let groupTerms = byGroup[record.group] else { continue }
            guard !groupTerms.contains(term) else { continue }
            let owner = byGroup.first { $0.value.contains(term) }?.key
            let line = lines.flatMap { $0.indices.contains(index) ? $0[index] : nil } ?? index + 1
            let which = result.manifest.completionsSHA256 == nil
                ? "the results or the completions were edited (these results record no digest of their completions)"
                : "the results were edited (the completions are the ones they record)"
            throw AuditError.badInput(
                path: "\(path):\(line)",
                reason: "term '\(TextEscaping.excerpt(term, limit: 60))' is in group '\(TextEscaping.excerpt(record.group, limit: 60))' "
                    + "here, while the results beside it list it "
                    + (owner.map { "under group '\(TextEscaping.excerpt($0, limit: 60))'" } ?? "under no group")
                    + " of set '\(TextEscaping.excerpt(record.set, limit: 60))': \(which), and their groups no longer match; "
                    + "restore the results.json written with these completions (for a run, running its biasaudit run command "
                    + "again rebuilds it from run.sqlite; for an analysis, analyse its completions file again)")
        }
    }

    /// Decodes `completions.jsonl`: one ``CompletionRecord`` per non-empty line.
    /// - Throws: ``AuditError/badInput(path:reason:)`` with a reason that begins "bad completions file: " (exit 65,
    ///   as a bad results file): at the file for bytes that are not UTF-8 text or a NUL, with `file:line` for the
    ///   first malformed line.
    public static func parseCompletions(_ data: Data, path: String) throws -> [CompletionRecord] {
        try parseCompletionLines(data, path: path).map(\.record)
    }

    /// ``parseCompletions(_:path:)`` with each record's line in the file (blank lines count).
    static func parseCompletionLines(_ data: Data, path: String) throws -> [(record: CompletionRecord, line: Int)] {
        func bad(_ place: String, _ reason: String) -> AuditError {
            .badInput(path: place, reason: "bad completions file: \(reason)")
        }
        if let problem = AuditJSON.encodingProblem(in: data) {
            throw bad(path, problem)
        }
        if let problem = JSONLines.lineCountProblem(in: data) { throw bad(path, problem) }
        var records: [(record: CompletionRecord, line: Int)] = []
        // Each completion once (practitioner's review: a repeated line was blamed on "another version of the
        // statistics", and re-analysing as advised rebuilt results from the damaged file).
        var seen: [String: Int] = [:]
        for line in JSONLines.lines(in: data) {
            if let problem = JSONLines.lengthProblem(line) { throw bad("\(path):\(line.number)", problem) }
            let record: CompletionRecord
            do {
                record = try AuditJSON.decode(CompletionRecord.self, from: line.bytes, oneLine: true)
            } catch let problem as AuditJSON.DecodingProblem where problem.repeatedKey {
                throw bad("\(path):\(line.number)", problem.description)
            } catch {
                throw bad(
                    "\(path):\(line.number)",
                    // A line of the wrong shape is said by its shape alone (see SuppliedCompletion).
                    (JSONLines.shapeFault(for: line).map { "not a completion record: \($0)" }
                        ?? "not a completion record (\(AuditJSON.describe(error)))"
                        + (JSONLines.formatHint(for: line).map { "; \($0)" } ?? ""))
                        + "; move the file away to compare without it")
            }
            if let odds = record.nextTokenLogOdds, !odds.isFinite || abs(odds) > CompletionRecord.maximumLogOdds {
                throw bad(
                    "\(path):\(line.number)",
                    "next_token_log_odds is \(AuditJSON.numberText(odds)); biasaudit writes a finite number of at most "
                        + "\(Int(CompletionRecord.maximumLogOdds)) in size or leaves the key out: "
                        + "the file was edited; move it away to compare without it")
            }
            if record.sampleIndex < 0 {
                throw bad("\(path):\(line.number)", "sample_index \(record.sampleIndex) is negative; biasaudit numbers samples "
                    + "from 0: the file was edited; move it away to compare without it")
            }
            let identity = [record.model, record.promptId, String(record.sampleIndex)].joined(separator: "\u{0}")
            if let first = seen.updateValue(line.number, forKey: identity) {
                throw bad("\(path):\(line.number)", "repeats the completion of line \(first) (model "
                    + "\(TextEscaping.excerpt(record.model, limit: 60)), prompt \(TextEscaping.excerpt(record.promptId, limit: 60)), sample "
                    + "\(record.sampleIndex)); biasaudit writes each completion once: the file was edited; move it away to "
                    + "compare without it")
            }
            records.append((record, line.number))
        }
        return records
    }
}
