import AuditResults
import Foundation
import InputFiles
import PromptSets

/// One line of a completions file given to `biasaudit analyze`: a completion made anywhere (the course
/// notebook, an API, an earlier run), before it is matched to a prompt and scored.
///
/// The line names its prompt either by `prompt_id` or by `set`, `group` and (for template prompts)
/// `template` and `term`; `text` is the continuation only. Other keys (such as the `scores` of a run's
/// own `completions.jsonl`) are ignored: scores are always recomputed from `text`.
public struct SuppliedCompletion: Sendable, Equatable {
    /// The 1-based line number in the file.
    public var line: Int
    /// The prompt set's name.
    public var set: String?
    /// The template text with its slot (absent for a fixed prompt).
    public var template: String?
    /// The stream key a run recorded (`template_id`); used only to rebuild a run's prompt sets.
    public var templateId: String?
    /// The group id.
    public var group: String?
    /// The term put into the slot (absent for a fixed prompt).
    public var term: String?
    /// The prompt's stable id (an alternative to set, template, group and term).
    public var promptId: String?
    /// The prompt text; when given it must equal the prompt set's text for the prompt.
    public var prompt: String?
    /// The model's name.
    public var model: String
    /// The sample index (0-based): the same index of counterfactual prompts shares a random stream
    /// when the completions were made with common random numbers.
    public var sampleIndex: Int
    /// The continuation only, without the prompt.
    public var text: String
    /// Generated tokens, when known.
    public var tokenCount: Int?
    /// Why generation stopped, when known.
    public var stopReason: String?
    /// log P(male pronoun) − log P(female pronoun) for the next token after the prompt, when known.
    public var nextTokenLogOdds: Double?
    /// The line's keys as written, sorted, kept by ``parse(_:path:)`` for a line without `prompt_id` that lacks
    /// `template` or `term` (the matcher names them when its group needs both); nil otherwise.
    public var keys: [String]?
    /// Those of ``keys`` whose value is null, sorted (a pandas NaN is written as null): a key given as null reads as
    /// absent, and the matcher says which it was; nil when ``keys`` is.
    public var nullKeys: [String]?

    /// Creates a completion line.
    public init(
        line: Int, set: String?, template: String?, templateId: String? = nil, group: String?, term: String?,
        promptId: String?, prompt: String?, model: String, sampleIndex: Int, text: String, tokenCount: Int? = nil,
        stopReason: String? = nil, nextTokenLogOdds: Double? = nil, keys: [String]? = nil, nullKeys: [String]? = nil
    ) {
        self.line = line
        self.set = set
        self.template = template
        self.templateId = templateId
        self.group = group
        self.term = term
        self.promptId = promptId
        self.prompt = prompt
        self.model = model
        self.sampleIndex = sampleIndex
        self.text = text
        self.tokenCount = tokenCount
        self.stopReason = stopReason
        self.nextTokenLogOdds = nextTokenLogOdds
        self.keys = keys
        self.nullKeys = nullKeys
    }

    /// The keys of one line, as JSON spells them (snake_case, decoded by ``AuditJSON/decoder()``).
    private struct Fields: Decodable {
        var set: String?
        var template: String?
        var templateId: String?
        var group: String?
        var term: String?
        var promptId: String?
        var prompt: String?
        var model: String
        var sampleIndex: Int
        var text: String
        var tokenCount: Int?
        var stopReason: String?
        var nextTokenLogOdds: Double?
    }

    /// Why a line without `prompt_id`, `set` or `group` is refused (here, where its keys can be named, and by
    /// ``CompletionMatcher`` for a line made in code).
    static let namesNoPrompt = "the line names no prompt: give set, group, template and term (or prompt_id)"

    /// Keys a notebook may have written for one of ours (`completion` for `text`, `prompt_set` for `set`, …).
    private static let keySynonyms: [String: String] = [
        "completion": "text", "completions": "text", "output": "text", "generated_text": "text", "generation": "text",
        "response": "text", "continuation": "text", "prompt_set": "set", "promptset": "set", "set_name": "set",
        "prompt_set_name": "set", "sample": "sample_index", "sample_id": "sample_index", "sample_idx": "sample_index",
        "sample_number": "sample_index", "model_name": "model", "group_id": "group", "name": "term",
        "prompt_template": "template",
    ]

    /// The keys of ``Fields`` as a line spells them.
    private static let ownKeys: Set<String> = [
        "set", "template", "template_id", "group", "term", "prompt_id", "prompt", "model", "sample_index", "text",
        "token_count", "stop_reason", "next_token_log_odds",
    ]

    /// The keys of a line, those given as null, each sorted, and the slot names of its own template (`template` or
    /// `prompt_template`, in any letter case: a key named so most likely holds the term, as `person` for
    /// `"The {person} said that"`: a student's review); nil when it is not a JSON object.
    private static func keysAndNulls(of bytes: Data) -> (keys: [String], nulls: [String], slots: [String])? {
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { return nil }
        let template = object.first { ["template", "prompt_template"].contains($0.key.lowercased()) }?.value as? String
        return (object.keys.sorted(), object.filter { $0.value is NSNull }.keys.sorted(),
                template.map(PromptSet.slotNames(in:)) ?? [])
    }

    /// Which of `wanted` a line gave as null (`nulls`, as ``nullKeys``), said as such: "'template' is null (an empty
    /// cell, NaN in pandas?)"; nil when none was. A key given as null reads as absent, and "give template and term"
    /// beside a line that has both keys left the reader to find the null (a review: pandas writes NaN as null).
    static func nullHint(_ wanted: [String], nulls: [String]?) -> String? {
        let null = wanted.filter { nulls?.contains($0) ?? false }
        guard !null.isEmpty else { return nil }
        let named = null.map { "'\($0)'" }.joined(separator: " and ")
        return null.count == 1 ? "\(named) is null (an empty cell, NaN in pandas?)"
            : "\(named) are null (empty cells, NaN in pandas?)"
    }

    /// For a line whose number key holds a number in quotes (`"sample_index": "0"`, as a notebook that wrote every value
    /// with str() does), the advice to write it without them; nil otherwise (a student's review: `0.0` was told what to
    /// write, `"0"` only "found a string").
    private static func quotedNumberHint(_ bytes: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: bytes) as? [String: Any] else { return nil }
        for key in ["sample_index", "token_count", "next_token_log_odds"] {
            guard let text = object[key] as? String, YAMLNumbers.isDecimal(text, fraction: key == "next_token_log_odds"),
                  Double(text.trimmingCharacters(in: .whitespaces))?.isFinite == true
            else { continue }
            return "'\(key)' is the string \"\(TextEscaping.excerpt(text, limit: 24))\": write the number without quotes"
        }
        return nil
    }

    /// What a line that is no completion line has instead: its keys (at most 12, escaped) and which of them to rename,
    /// e.g. "the line has keys completion, group, model, …: rename 'completion' to 'text'"; nil when it is not a
    /// JSON object. Read only for the failing line.
    private static func keyHint(_ bytes: Data) -> String? {
        keysAndNulls(of: bytes).map { keyHint(keys: $0.keys, slots: $0.slots) }
    }

    /// ``keyHint(_:)`` for a line's `keys` (sorted); `slots`: the set's slot names, a key that most likely means `term`
    /// (a final review: only a slot called `name` was told to be renamed).
    static func keyHint(keys: [String], slots: [String] = []) -> String {
        let shown = keys.prefix(12).map { TextEscaping.excerpt($0, limit: 40) }.joined(separator: ", ")
            + (keys.count > 12 ? ", … (\(keys.count) in all)" : "")
        // A synonym (`completion`), or one of our keys in another letter case (`Text`) or with an invisible character
        // (`\u{feff}text`). A key with an underscore is read in any case (`Sample_Index`: the decoder converts snake
        // case), so it needs no rename (review).
        let renames = keys.compactMap { key in
            let folded = String(String.UnicodeScalarView(key.lowercased().unicodeScalars.filter {
                $0.properties.generalCategory != .format
            }))
            let accepted = ownKeys.contains(folded) && key.contains("_") && folded == key.lowercased()
            let ours = keySynonyms[folded] ?? (slots.contains(key) && !ownKeys.contains(folded) ? "term" : nil)
                ?? (ownKeys.contains(folded) && folded != key && !accepted ? folded : nil)
            return ours.flatMap { keys.contains($0) ? nil : "'\(TextEscaping.excerpt(key, limit: 40))' to '\($0)'" }
        }
        return "the line has keys " + (keys.isEmpty ? "none" : shown)
            + (renames.isEmpty ? "" : ": rename " + renames.prefix(5).joined(separator: ", "))
    }

    /// The fields of a line that hold whole numbers (``Fields``' names: a key is read as the decoder reads it,
    /// ``AuditJSON/fieldName(_:)``, so `Sample_Index` and `sampleIndex` are `sample_index`).
    private static let wholeNumberFields: Set<String> = ["sampleIndex", "tokenCount"]

    /// A whole-number key of a decoded line written with a fraction or an exponent (`"sample_index": 5.0`, `5e0`), which
    /// the decoder reads as 5: "sample_index is written 5.0 at column 162; write 5 …", or nil. `config.json`, policies
    /// and prompt sets refuse such numbers (a hostile review: a completions file took it), and Python reads 5.0 as a
    /// float, so the line would index its sample differently elsewhere.
    static func wholeNumberProblem(in bytes: Data) -> String? {
        var problem: String?
        JSONNumberLiterals.forEachNonInteger(in: bytes, offsets: { keys, literal, offset in
            guard problem == nil, keys.count == 1, let key = keys[0], wholeNumberFields.contains(AuditJSON.fieldName(key))
            else { return }
            let whole = Double(literal).flatMap { Int(exactly: $0) }.map { "write \($0)" } ?? "write it as a whole number"
            let shown = TextEscaping.excerpt(literal, limit: 40)
            problem = "\(TextEscaping.excerpt(key, limit: 40)) is written \(shown) at column \(offset + 1); \(whole) (a whole "
                + "number: Python and pandas read \(shown) as a float)"
        })
        return problem
    }

    /// Reads a completions file: one JSON object per non-blank line, LF or CRLF line endings.
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - path: the file's path as the user named it, for messages.
    /// - Returns: the lines in file order (empty for an empty file).
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `path` for bytes that are not UTF-8 text or a NUL or more
    ///   lines than ``AuditResults/JSONLines/maximumCompletionLines``, and at
    ///   `path:line` for the first line that is not a
    ///   JSON object with the required keys (a wrong type or out-of-range number is named by its key), whose
    ///   `sample_index` or `token_count` is negative, above 2^53 or written with a fraction or an exponent (`5.0`), whose
    ///   `next_token_log_odds` is not a finite number or whose `model` is empty.
    public static func parse(_ data: Data, path: String) throws -> [SuppliedCompletion] {
        if let problem = AuditJSON.encodingProblem(in: data) { throw AuditError.badInput(path: path, reason: problem) }
        if let problem = JSONLines.lineCountProblem(in: data) { throw AuditError.badInput(path: path, reason: problem) }
        var completions: [SuppliedCompletion] = []
        // One array per distinct set of keys, shared by the lines that have it: every line of a fixed prompt keeps its
        // keys (for the matcher's message should its group fill templates), and a file of 120,000 held 120,000 copies.
        var sharedKeys: Set<[String]> = []
        // Each model's name by how it reads (`NameCharacters.readAlikeKey`): the first line of each; the names already
        // read, so that the key is computed once per name, not per line.
        var readAlikeModels: [String: (model: String, line: Int)] = [:]
        var modelNames: Set<String> = []
        // The field names of the keys, converted once for the file rather than on every line.
        let fieldNames = AuditJSON.FieldNames()
        for line in JSONLines.lines(in: data) {
            let place = "\(path):\(line.number)"
            if let problem = JSONLines.lengthProblem(line) { throw AuditError.badInput(path: place, reason: problem) }
            let fields: Fields
            do {
                // The file was checked whole for UTF-8 and NULs above, so each line is not again.
                fields = try AuditJSON.decode(
                    Fields.self, from: line.bytes, folding: .topLevel, encodingChecked: true, oneLine: true,
                    fieldNames: fieldNames)
            } catch let problem as AuditJSON.DecodingProblem where problem.repeatedKey {
                throw AuditError.badInput(path: place, reason: problem.description)
            } catch {
                // A line of the wrong shape (an array, indented JSON, CSV) is said by its shape alone: the parser's
                // words before it ("not valid JSON …; is the file truncated?" for the "[" of an indented array) sent the
                // reader the wrong way. The keys only when the shape is not the fault: "rename 'completions' to 'text'"
                // beside "one object wrapping a list ('completions')" contradicted it (a hostile review).
                throw AuditError.badInput(
                    path: place,
                    reason: (JSONLines.shapeFault(for: line).map { "not a completion line: \($0)" }
                        ?? "not a completion line (\(AuditJSON.describe(error)))"
                        + (quotedNumberHint(line.bytes).map { "; \($0)" } ?? JSONLines.formatHint(for: line).map { "; \($0)" }
                            ?? keyHint(line.bytes).map { "; \($0)" } ?? ""))
                        + "; each line is a JSON object with "
                        + "set, template, group, term (or prompt_id), model, sample_index and text")
            }
            // Checked here, where the line's own keys can be named: a line without them named no prompt, and said
            // nothing of the 'prompt_set' it had instead of 'set' (review).
            if fields.promptId == nil, fields.set == nil || fields.group == nil {
                let found = keysAndNulls(of: line.bytes)
                throw AuditError.badInput(
                    path: place, reason: Self.namesNoPrompt
                        + (nullHint(["set", "group"], nulls: found?.nulls).map { "; \($0)" } ?? "")
                        + (JSONLines.formatHint(for: line).map { "; \($0)" }
                            ?? found.map { "; \(keyHint(keys: $0.keys, slots: $0.slots))" } ?? ""))
            }
            if let problem = wholeNumberProblem(in: line.bytes) { throw AuditError.badInput(path: place, reason: problem) }
            guard fields.sampleIndex >= 0 else {
                throw AuditError.badInput(path: place, reason: "sample_index \(fields.sampleIndex) is negative; indices count from 0")
            }
            // results.json records sample indices (its counterfactual pairs) and token counts (its context-window
            // notes), and its readers refuse one above 2^53: a hostile review's file with indices near 2^60 was analysed
            // into results that `report`, `check` and `diff` then refused as edited. Refused here, at its line.
            for (key, value) in [("sample_index", fields.sampleIndex), ("token_count", fields.tokenCount)]
            where value.map({ $0 > AuditResult.maximumCount }) ?? false {
                throw AuditError.badInput(
                    path: place, reason: "\(key) \(value!) is above 2^53 (\(AuditResult.maximumCount)), the largest whole "
                        + "number results.json can hold exactly for every JSON reader; "
                        + (key == "token_count" ? "give the number of generated tokens" : "number the samples from 0 (0, 1, 2, …)"))
            }
            if let count = fields.tokenCount, count < 0 {
                // The run store refuses such a count when it reads one back; a file should not slip it past.
                throw AuditError.badInput(
                    path: place, reason: "token_count \(count) is negative; give the number of generated tokens (0 or "
                        + "more) or leave the key out when it is unknown")
            }
            if let odds = fields.nextTokenLogOdds, !odds.isFinite || abs(odds) > CompletionRecord.maximumLogOdds {
                // The decoder reads the strings "NaN" and "Infinity" as numbers; a log-odds that is not a
                // finite number would be dropped from the analysis without a word, and one near 1e307 overflowed
                // the statistics (the metric vanished without a reason).
                throw AuditError.badInput(
                    path: place, reason: "next_token_log_odds is \(AuditJSON.numberText(odds)); give a finite number of at most "
                        + "\(Int(CompletionRecord.maximumLogOdds)) in size (log P(male pronoun) − log P(female pronoun)) or "
                        + "leave the key out")
            }
            // As `trimmingCharacters(in: .whitespacesAndNewlines)` reads it, without making a trimmed copy of every line's
            // model.
            let blank = CharacterSet.whitespacesAndNewlines
            guard !fields.model.unicodeScalars.allSatisfy({ blank.contains($0) }) else {
                throw AuditError.badInput(path: place, reason: "model is empty or blank; name the model that wrote the completion")
            }
            // White space other than a plain space is shown as its code: a no-break space printed as itself was
            // invisible in the message (second review).
            func shown(limit: Int = 60) -> String {
                TextEscaping.excerpt(fields.model.unicodeScalars.map { scalar in
                    scalar != " " && (scalar.properties.isWhitespace || scalar.properties.generalCategory == .format
                        || NameCharacters.isSpaceLookalike(scalar))
                        ? NameCharacters.escape(scalar) : String(scalar)
                }.joined(), limit: limit)
            }
            // Unicode's White_Space, as `run --model` reads it (`ModelArgument.labelProblem`): Foundation's set holds the
            // invisible U+200B, which is an unprintable character, not white space (a hostile review).
            guard !fields.model.unicodeScalars.first!.properties.isWhitespace,
                !fields.model.unicodeScalars.last!.properties.isWhitespace
            else {
                // As `run --model` refuses such a label: "x" and "x " were two models whose reports read alike (review).
                throw AuditError.badInput(
                    path: place, reason: "model '\(shown())' starts or ends with white space; write the model's name without it")
            }
            if let problem = PromptSetLimits.completionLengthProblem(fields.text) {
                throw AuditError.badInput(path: place, reason: "text \(problem); a completion this long is not a model's "
                    + "continuation (check the file, or cut the texts)")
            }
            if let problem = PromptSetLimits.nameLengthProblem(fields.model) {
                // As `run --model` refuses such a label, and a results file holding one.
                throw AuditError.badInput(path: place, reason: "model \(problem); name the model in fewer characters")
            }
            if let space = NameCharacters.firstSpaceLookalike(fields.model) {
                // As `run --model` refuses such a label: "gpt2 ft" and "gpt2\u{A0}ft" were two models that read alike.
                // Its whole name (at most 200 scalars here, each shown in at most 10 characters: `\u{10ffff}`), so that
                // the place of the space is seen (a review).
                let name = shown(limit: 10 * PromptSetLimits.maximumNameLength)
                throw AuditError.badInput(
                    path: place, reason: "model '\(name)' holds \(NameCharacters.spaceLookalikeName(space)), which prints "
                        + "as a plain space; write a plain space")
            }
            if let unprintable = TextEscaping.firstUnprintable(fields.model) {
                // As `run --model` refuses such a label: the reports would name the model invisibly.
                throw AuditError.badInput(
                    path: place, reason: "model '\(TextEscaping.modelName(TextEscaping.excerpt(fields.model)))' holds an "
                        + "unprintable character "
                        + "(\(NameCharacters.code(unprintable))); name the model in visible characters")
            }
            // Two names that read alike are two models no report tells apart: "a" and a Cyrillic "а" became two columns
            // of one look (a hostile review). Refused as `run --model` and results files refuse them.
            if modelNames.insert(fields.model).inserted {
                // A new name: the same key as an earlier name's is another way of writing it.
                let readAlike = NameCharacters.readAlikeKey(fields.model)
                if let first = readAlikeModels[readAlike] {
                    throw AuditError.badInput(
                        path: place, reason: "model '\(TextEscaping.excerpt(NameCharacters.showingLookalikes(fields.model)))' "
                            + "reads as '\(TextEscaping.excerpt(NameCharacters.showingLookalikes(first.model)))', the model of "
                            + "line \(first.line), and is another name: write one model's name the same way on every line, and "
                            + "give two models names that read as their own")
                }
                readAlikeModels[readAlike] = (fields.model, line.number)
            }
            // Read again only for such lines: a `name` for `term` is told apart from a fixed prompt's line by the matcher,
            // which knows the group.
            let found = fields.promptId == nil && (fields.template == nil || fields.term == nil)
                ? keysAndNulls(of: line.bytes).map {
                    (keys: sharedKeys.insert($0.keys).memberAfterInsert, nulls: sharedKeys.insert($0.nulls).memberAfterInsert)
                } : nil
            completions.append(
                SuppliedCompletion(
                    line: line.number, set: fields.set, template: fields.template, templateId: fields.templateId,
                    group: fields.group, term: fields.term, promptId: fields.promptId, prompt: fields.prompt,
                    model: fields.model, sampleIndex: fields.sampleIndex, text: fields.text,
                    tokenCount: fields.tokenCount, stopReason: fields.stopReason.map(CompletionRecord.identifierStopReason),
                    nextTokenLogOdds: fields.nextTokenLogOdds, keys: found?.keys, nullKeys: found?.nulls))
        }
        return completions
    }
}
