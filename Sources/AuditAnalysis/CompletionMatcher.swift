import AuditResults
import Foundation
import PromptSets

/// Matches the lines of a completions file to the prompts of the audited prompt sets and turns them into
/// scored ``CompletionRecord``s, the input of ``AuditAnalysis/results(sets:models:records:settings:)``.
///
/// Nothing is dropped: a line that names an unknown set, template, group or term, or repeats a
/// (model, prompt, sample index) key, is an error naming the line.
public struct CompletionMatcher: Sendable {
    /// The file's path as the user named it, for `path:line` messages.
    public let path: String
    private let sets: [PromptSet]
    private var promptsByID: [String: Prompt] = [:]
    private var promptsByKey: [PromptKey: Prompt] = [:]

    /// A prompt by what a line can say about it: set, group, and template + term (template prompts) or
    /// prompt text (fixed prompts).
    private struct PromptKey: Hashable {
        var set: String
        var group: String
        var template: String?
        var termOrText: String
    }

    /// Creates a matcher for the prompts of `sets`.
    public init(sets: [PromptSet], path: String) {
        self.sets = sets
        self.path = path
        for set in sets {
            for prompt in set.prompts {
                promptsByID[prompt.id] = prompt
                let key = PromptKey(
                    set: set.name, group: prompt.group, template: prompt.template, termOrText: prompt.term ?? prompt.text)
                promptsByKey[key] = prompt
            }
        }
    }

    /// One line with the prompt it names.
    public struct Match: Sendable {
        /// The line.
        public let line: SuppliedCompletion
        /// Its prompt.
        public let prompt: Prompt
    }

    /// The prompt of every line, in file order.
    /// - Throws: ``AuditError/badInput(path:reason:)`` at `path:line` for the first line that names no
    ///   prompt of the sets (unknown set, group, template, term or prompt id; contradicting keys), repeats an
    ///   earlier line's (model, prompt, sample index), or gives a model's prompt another `next_token_log_odds`
    ///   than an earlier line (a property of the model and prompt, the same in every sample; the analysis used
    ///   the first and dropped the other without a word: review).
    public func match(_ lines: [SuppliedCompletion]) throws -> [Match] {
        var firstLine: [SampleKey: Int] = [:]
        var firstOdds: [PromptModel: (odds: Double, line: Int)] = [:]
        var matches: [Match] = []
        matches.reserveCapacity(lines.count)
        for line in lines {
            let prompt = try self.prompt(for: line)
            let key = SampleKey(model: line.model, promptID: prompt.id, sampleIndex: line.sampleIndex)
            if let first = firstLine[key] {
                throw AuditError.badInput(
                    path: "\(path):\(line.line)",
                    reason: "duplicate completion: model '\(line.model)', prompt \(prompt.id), sample_index "
                        + "\(line.sampleIndex) is also on line \(first); give each sample of a prompt its own index")
            }
            firstLine[key] = line.line
            if let odds = line.nextTokenLogOdds {
                let promptModel = PromptModel(model: line.model, promptID: prompt.id)
                // Beyond float noise: a batched notebook's per-sample values of one prompt differ by about 1e-7.
                if let first = firstOdds[promptModel], abs(first.odds - odds) > 1e-6 * max(1, abs(first.odds)) {
                    throw AuditError.badInput(
                        path: "\(path):\(line.line)",
                        reason: "next_token_log_odds \(odds) differs from line \(first.line)'s \(first.odds) for model "
                            + "'\(TextEscaping.excerpt(line.model))' and prompt \(prompt.id); it is the model's log P(he) − "
                            + "log P(she) after the prompt, the same for every sample: give one value (or give it on one "
                            + "line of the prompt only)")
                }
                if firstOdds[promptModel] == nil { firstOdds[promptModel] = (odds, line.line) }
            }
            matches.append(Match(line: line, prompt: prompt))
        }
        return matches
    }

    private struct PromptModel: Hashable { let model: String; let promptID: String }

    /// What the completions leave out, one sentence each, for the report's header and the terminal (review: a
    /// file without one group, without a template for one model, or with one stray line of a misspelt model
    /// was analysed without a word): per model (file order) and audited set (a set with a completion of any
    /// model), the set's prompts without a completion, naming the groups (by their label in the notes' language, as the
    /// report's tables do) and templates left out whole; per set
    /// that measures P(he) vs P(she), how many prompts carry `next_token_log_odds` (none: the metric is left out).
    /// - Parameters:
    ///   - sets: the prompt sets the lines were matched against.
    ///   - layouts: per set name, the prompts the set's file expands to where `sets` holds fewer: a set rebuilt from a
    ///     run's lines (`analyze RUN_DIR`) has only the prompts with a completion, and its notes count against the
    ///     run's (``PromptLayout/init(recorded:rebuilt:)``), so that they say what the analysis re-analysed said
    ///     ("completions for 27 of its 72 prompts"; review 86: the re-analysis said nothing). A set without one is
    ///     counted on its own prompts.
    ///   - spanish: the sentences in Spanish (`source.coverage_notes_es`, for the Spanish report) instead of English.
    public static func coverageNotes(
        _ matches: [Match], sets: [PromptSet], layouts: [String: PromptLayout] = [:], spanish: Bool = false
    ) -> [String] {
        let words = spanish ? CoverageWords.spanish : CoverageWords.english
        func capped(_ items: [String]) -> String { Self.capped(items, more: words.more, lastSeparator: words.lastSeparator) }
        let models = matches.map(\.line.model).uniqued()
        var covered: [PromptModel: Bool] = [:]
        var withOdds: [String: Set<String>] = [:]
        for match in matches {
            covered[PromptModel(model: match.line.model, promptID: match.prompt.id)] = true
            if match.line.nextTokenLogOdds != nil { withOdds[match.line.model, default: []].insert(match.prompt.id) }
        }
        var notes: [String] = []
        for set in sets where matches.contains(where: { $0.prompt.set == set.name }) {
            let name = TextEscaping.excerpt(set.name)
            // A group as the report's tables name it: its label in the notes' language (a hostile review: the Spanish
            // note said 'black_male' beside tables saying "Nombres de hombres negros"), quoted, with its id where two
            // groups read alike.
            let names = Dictionary(zip(set.groups.map(\.id), Self.groupNames(set.groups.map {
                (id: $0.id, label: $0.label(in: words.language))
            }))) { first, _ in first }
            func label(_ group: String) -> String { names[group] ?? CoverageWords.quoted(TextEscaping.excerpt(group)) }
            // What the set's file expands to: a group, template or cell is left out whole where the model has none of
            // its prompts.
            let layout = layouts[set.name] ?? PromptLayout(set)
            // One sentence per distinct gap, naming every model that has it (review: 32 models missing the same 500
            // templates made 32 notes of 2.5 KB each).
            var gaps: [(detail: String, models: [String])] = []
            func add(_ detail: String, _ model: String) {
                if let index = gaps.firstIndex(where: { $0.detail == detail }) { gaps[index].models.append(model) }
                else { gaps.append((detail, [model])) }
            }
            for model in models {
                let present = PromptLayout(prompts: set.prompts.filter { covered[PromptModel(model: model, promptID: $0.id)] != nil })
                guard present.total < layout.total else { continue }
                guard present.total > 0 else {
                    add(words.noCompletions(layout.total), model)
                    continue
                }
                var parts: [String] = []
                let groups = set.groups.map(\.id).filter { layout.groups[$0] != nil && present.groups[$0] == nil }
                if !groups.isEmpty {
                    parts.append(words.groups(groups.count) + capped(groups.map(label)))
                }
                let templates = layout.templates.keys.sorted().filter { present.templates[$0] == nil }
                // A whole group missing leaves no template whole; a template missing for every group is named.
                if !templates.isEmpty, templates.count < layout.templates.count || groups.isEmpty {
                    parts.append(words.templates(templates.count) + capped(templates.map { String($0 + 1) }))
                }
                // A group missing from a template (neither missing whole) leaves its contrasts on different template
                // mixes: named too (review: "50 of its 60 prompts" hid that group 'b' had no template 3).
                let cells = layout.cells.keys.filter { key in
                    present.cells[key] == nil && !groups.contains(key.group) && !templates.contains(key.template)
                }.sorted { ($0.template, $0.group) < ($1.template, $1.group) }
                if !cells.isEmpty {
                    parts.append(capped(cells.map { words.cell(label($0.group), $0.template + 1) }))
                }
                // A term without a line in any template (its group not missing whole): the model's comparisons of that
                // group rest on other terms than the other models' (statistics revision 11; a code review: the note
                // counted prompts and did not say which term).
                // The model's terms and fixed prompts with a line (its layout's), each as [group, term or prompt text].
                let presentTerms = Set((present.terms.merging(present.fixedPrompts) { $0 + $1 }).flatMap { group, units in
                    units.map { [group, $0] }
                })
                let lackingTerms = set.groups.map(\.id).filter { !groups.contains($0) }.flatMap { group in
                    (layout.terms[group] ?? []).filter { !presentTerms.contains([group, $0]) }.map { [group, $0] }
                }
                let lackingPrompts = set.groups.map(\.id).filter { !groups.contains($0) }.flatMap { group in
                    (layout.fixedPrompts[group] ?? []).filter { !presentTerms.contains([group, $0]) }.map { [group, $0] }
                }
                if !lackingTerms.isEmpty || !lackingPrompts.isEmpty {
                    parts.append(capped(lackingTerms.map { words.term(TextEscaping.excerpt($0[1]), label($0[0])) }
                        + lackingPrompts.map { words.prompt(TextEscaping.excerpt($0[1]), label($0[0])) }))
                }
                add(words.someCompletions(present.total, layout.total, parts), model)
            }
            var withoutOdds: String?
            if AuditAnalysis.metrics(for: set.metrics).contains(.heSheLogOdds) {
                let setPrompts = Set(set.prompts.map(\.id))
                if !models.contains(where: { !(withOdds[$0] ?? []).isDisjoint(with: setPrompts) }) {
                    withoutOdds = "'\(name)': " + words.noLineWithOdds
                } else {
                    for model in models {
                        let measured = (withOdds[model] ?? []).intersection(setPrompts).count
                        let presentPrompts = set.prompts.filter { covered[PromptModel(model: model, promptID: $0.id)] != nil }
                        guard !presentPrompts.isEmpty, measured < presentPrompts.count else { continue }
                        // The terms (or fixed prompts) with completions and no log-odds on any of them: that model's
                        // log-odds comparisons of the group rest on other terms (statistics revision 11; a code review).
                        var withOddsUnits: Set<[String]> = [], seen: Set<[String]> = []
                        var missing: [(group: String, text: String)] = []
                        for prompt in presentPrompts where withOdds[model]?.contains(prompt.id) == true {
                            withOddsUnits.insert([prompt.group, prompt.term ?? prompt.text])
                        }
                        for prompt in presentPrompts {
                            let unit = [prompt.group, prompt.term ?? prompt.text]
                            guard !withOddsUnits.contains(unit), seen.insert(unit).inserted else { continue }
                            missing.append((prompt.group, prompt.term.map { words.term(TextEscaping.excerpt($0), label(prompt.group)) }
                                ?? words.prompt(TextEscaping.excerpt(prompt.text), label(prompt.group))))
                        }
                        // A group none of whose prompts has log-odds is named once, as the completions' note names a
                        // group missing whole (a review: 300 terms of one group were listed term by term).
                        let withOddsGroups = Set(withOddsUnits.map { $0[0] })
                        let wholeGroups = set.groups.map(\.id).filter { group in
                            !withOddsGroups.contains(group) && presentPrompts.contains { $0.group == group }
                        }
                        var parts: [String] = []
                        if !wholeGroups.isEmpty { parts.append(words.groups(wholeGroups.count) + capped(wholeGroups.map(label))) }
                        let terms = missing.filter { !wholeGroups.contains($0.group) }.map(\.text)
                        if !terms.isEmpty { parts.append(capped(terms)) }
                        add(words.someOdds(measured, presentPrompts.count, parts), model)
                    }
                }
            }
            for gap in gaps {
                let who = words.models(gap.models.count) + capped(gap.models.map { "'\(TextEscaping.excerpt($0))'" })
                notes.append("'\(name)' \(who): \(gap.detail)")
            }
            if let withoutOdds { notes.append(withoutOdds) }
        }
        return notes
    }

    /// A template of a group: the prompts of one group filled into one template.
    struct CellKey: Hashable, Sendable { let group: String; let template: Int }

    /// The names the notes give `groups`, in order: each label quoted and shortened ('Group A'), as the notes quote it;
    /// where another group of the list (another id) shows the same name, its id follows ("'Women' (female)"), so that
    /// two groups never read as one (`lint` refuses a set whose groups share a label, but a run's results.json edited
    /// by hand, or two sets of one analysis, can have them).
    private static func groupNames(_ groups: [(id: String, label: String)]) -> [String] {
        let quoted = groups.map { CoverageWords.quoted(TextEscaping.excerpt($0.label)) }
        var ids: [String: Set<String>] = [:]
        for (name, group) in zip(quoted, groups) { ids[name, default: []].insert(group.id) }
        return zip(quoted, groups).map { name, group in
            ids[name]!.count > 1 ? "\(name) (\(TextEscaping.excerpt(group.id)))" : name
        }
    }

    /// The note of a re-analysed sweep run (`run --sweep`, `settings` settings, `command` its own command line,
    /// shell-quoted): its completions.jsonl holds the base setting only, so the sweep section is not recomputed;
    /// running the run's command again recomputes every setting from its run.sqlite without generating anything. One
    /// clause, lower case and without a full stop, as every coverage note (the reports join them with "; " after "What
    /// the completions leave out:" and end them with "."; review: "..").
    public static func sweepNotRecomputedNote(settings: Int, command: String, spanish: Bool = false) -> String {
        (spanish ? CoverageWords.spanish : CoverageWords.english).sweepNotRecomputed(settings, command)
    }

    /// The lines whose `text` begins with their own prompt (a notebook that decoded the whole sequence instead of the
    /// new tokens): the prompt's words are then scored as if the model wrote them, and every sentiment and pronoun count
    /// moves (review: "was arrested" in the prompt lowered one model's mean sentiment from 0.13 to 0.01 without a word).
    /// Leading white space and special tokens of the text (`<|endoftext|>`, `<s>`: a decode that kept them) and the
    /// prompt's outer white space are ignored; a text that is the prompt alone counts too. In file order.
    public static func promptEchoes(_ matches: [Match]) -> [Match] {
        // A prompt trimmed once for its run of lines (a file lists a prompt's samples together), not once per line.
        var trimmed: (id: String, text: String)?
        return matches.filter { match in
            if trimmed?.id != match.prompt.id {
                trimmed = (match.prompt.id, match.prompt.text.trimmingCharacters(in: .whitespacesAndNewlines))
            }
            let prompt = trimmed!.text
            return !prompt.isEmpty && withoutLeadingSpecialTokens(match.line.text).hasPrefix(prompt)
        }
    }

    /// `text` without its leading white space and special tokens, as a decode with `skip_special_tokens=False` leaves
    /// them before the prompt: a tag of 1 to 40 characters without white space or `<` between `<` and `>` (`<s>`,
    /// `</s>`, `<bos>`, `<pad>`, `<|endoftext|>`, `<｜begin▁of▁sentence｜>`), or 2 to 10 capital letters in brackets
    /// (`[CLS]`). A second review: `<bos>`, `</s><s>` and `[CLS]` hid prompts that `<|endoftext|>` did not. After a tag,
    /// a chat template's role (`user`, `system`, `assistant`, `human`, `model`) ended by a line break, `:` or another tag
    /// is looked past too (`<|im_start|>user\n`, `<start_of_turn>user\n`, `<|start_header_id|>user<|end_header_id|>`; a
    /// review found ChatML's hid the prompt).
    static func withoutLeadingSpecialTokens(_ text: String) -> Substring {
        var rest = text.drop { $0.isWhitespace }
        while true {
            let inside = rest.dropFirst()
            if let tag = tagEnd(rest) {
                rest = rest[tag...]
                let role = rest.prefix(10).prefix { $0.isLetter }
                if chatRoles.contains(role.lowercased()), let next = rest.dropFirst(role.count).first,
                   next.isNewline || next == ":" || next == "<"
                {
                    rest = rest.dropFirst(role.count + (next == ":" ? 1 : 0))
                    // A system turn's text up to the tag that ends it (`<|im_end|>`, `<|eot_id|>`): Qwen's and Llama
                    // 3.1's templates add one by default (a code review: the prompt after it was not found).
                    if role.lowercased() == "system" {
                        if let header = tagEnd(rest) { rest = rest[header...] }  // Llama 3's `<|end_header_id|>`
                        if let end = rest.prefix(PromptSetLimits.maximumTextLength).indices.first(where: { tagEnd(rest[$0...]) != nil }) {
                            rest = rest[end...]
                        }
                    }
                }
            } else if rest.first == "[", let end = inside.prefix(11).firstIndex(of: "]"),
                      (2...10).contains(inside.distance(from: inside.startIndex, to: end)),
                      inside[..<end].allSatisfy({ $0.isASCII && $0.isUppercase })
            {
                rest = inside[inside.index(after: end)...]
            } else {
                return rest
            }
            rest = rest.drop { $0.isWhitespace }
        }
    }

    /// Where a special-token tag at the start of `text` ends (`<|im_end|>`: 1 to 40 characters without white space or
    /// `<` between `<` and `>`), nil when `text` does not start with one.
    private static func tagEnd(_ text: Substring) -> Substring.Index? {
        guard text.first == "<" else { return nil }
        let inside = text.dropFirst()
        guard let end = inside.prefix(41).firstIndex(of: ">"), end > inside.startIndex,
              !inside[..<end].contains(where: { $0.isWhitespace || $0 == "<" })
        else { return nil }
        return inside.index(after: end)
    }

    /// The roles chat templates write after their turn tag.
    private static let chatRoles: Set<String> = ["user", "system", "assistant", "human", "model"]

    /// A note when some lines' `text` begins with their own prompt (``promptEchoes(_:)``), nil when none does. Counted
    /// once and written in English (`coverage_notes`) and Spanish (`coverage_notes_es`).
    public static func promptEchoNotes(_ matches: [Match], echoes: [Match]) -> (english: String?, spanish: String?) {
        guard let first = echoes.first else { return (nil, nil) }
        let note = { (words: CoverageWords) in
            words.promptEcho(echoes.count, matches.count, first.line.line, TextEscaping.excerpt(first.prompt.text))
        }
        return (note(.english), note(.spanish))
    }

    /// The first group and model half or more of whose lines begin with their prompt, with its counts, nil when none:
    /// then the file was decoded with its prompts rather than a model repeating one now and then, and a share of such
    /// lines that differs between groups makes differences that are not the model's (a practitioner's review: the Black
    /// male lines alone began with their prompt, and six "findings" followed from the prompt's words). A group's lines of
    /// one template count alone too, where 5 or more of them do (3 of 6 lines of 2 samples refused a file a model that
    /// repeats its prompt now and then could write: a second review) (`template` is then its index, from 0): a loop that
    /// decoded one template's prompts with them is the same fault (a student's review: a third of one group's lines, one
    /// template of three, passed with a note of "36 of 828 lines" and six findings followed).
    public static func echoedCell(_ matches: [Match], echoes: [Match])
        -> (set: String, group: String, model: String, template: Int?, echoed: Int, lines: Int, first: Match)?
    {
        guard !echoes.isEmpty else { return nil }
        struct Cell: Hashable { let set: String, group: String, model: String, template: Int? }
        func cells(_ match: Match) -> [Cell] {
            let group = Cell(set: match.prompt.set, group: match.prompt.group, model: match.line.model, template: nil)
            guard let template = match.prompt.templateIndex else { return [group] }
            return [group, Cell(set: group.set, group: group.group, model: group.model, template: template)]
        }
        var echoed: [Cell: (count: Int, first: Match)] = [:]
        for match in echoes { for cell in cells(match) { echoed[cell, default: (0, match)].count += 1 } }
        var lines: [Cell: Int] = [:]
        for match in matches { for cell in cells(match) { lines[cell, default: 0] += 1 } }
        // The first in the file; a whole group before one of its templates at the same line.
        func order(_ cell: (key: Cell, value: (count: Int, first: Match))) -> (Int, Int) {
            (cell.value.first.line.line, cell.key.template == nil ? 0 : 1)
        }
        let heavy = echoed.filter { 2 * $0.value.count >= lines[$0.key, default: 0] && ($0.key.template == nil || $0.value.count >= 5) }
            .min { order($0) < order($1) }
        return heavy.map { (set: $0.key.set, group: $0.key.group, model: $0.key.model, template: $0.key.template,
                            echoed: $0.value.count, lines: lines[$0.key, default: 0], first: $0.value.first) }
    }

    /// The note of a completions file `lines` of whose `total` lines carry ``unpairedMarker`` in their `template_id` (the
    /// completions.jsonl of an analysis declared `--unpaired`), analysed unpaired as that analysis was; without its
    /// template_id values the file is analysed paired. One clause, lower case and without a full stop, as every coverage
    /// note, in English (`coverage_notes`) and Spanish (`coverage_notes_es`).
    public static func unpairedMarkerNote(lines: Int, of total: Int) -> (english: String, spanish: String) {
        (CoverageWords.english.unpairedMarker(lines, total), CoverageWords.spanish.unpairedMarker(lines, total))
    }

    /// Notes when the prompts of one template (under one model, or across models) do not have the same sample indices:
    /// a line missing, a prompt sampled more often, one model's samples 0–4 beside another's 5–9. They are paired on the
    /// indices they share (sample i of a template on random stream i); an index only some prompts have pairs only those.
    /// Empty when every prompt of each template has the same indices under every model. The first note (gaps under one
    /// model) counts the templates whose prompts differ, shows two prompts' indices, and counts the lines missing per
    /// group under that model (a statistician's review: gaps that depend on what a completion says, as an API's filter
    /// makes them, bias the levels, and a narrower paired interval made such a null a finding in 17–36% of simulated
    /// files; the note showed no sign that every gap was in one group); the second, two models with different indices
    /// for a prompt. Each one clause, lower case and without a full stop, as every coverage note; computed once and
    /// written in English (`coverage_notes`) and Spanish (`coverage_notes_es`). Groups are named by their label in each
    /// language, as the report's tables and the other coverage notes name them (a review: this note alone said
    /// 'group_a' beside tables saying "Group A"), with the id where two groups read alike.
    /// - Parameter sets: the prompt sets the lines were matched against (for their groups' labels).
    public static func differentIndicesNotes(
        _ matches: [Match], sets: [PromptSet]
    ) -> (english: [String], spanish: [String]) {
        struct StreamCell: Hashable { let model: String; let key: String }
        /// A group of a set; its name in a language is its label there (``groupNames(_:)``).
        struct GroupKey: Hashable { let set: String; let group: String }
        struct Labelled: Hashable { let id: String; let label: String }
        var indices: [StreamCell: [String: Set<Int>]] = [:]
        var groupOf: [String: GroupKey] = [:]
        var groupOrder: [GroupKey] = []
        var modelOrder: [String] = []
        let groupsBySet = Dictionary(sets.map { set in
            (set.name, Dictionary(set.groups.map { ($0.id, $0) }) { first, _ in first })
        }) { first, _ in first }
        func labelled(_ key: GroupKey, _ words: CoverageWords) -> Labelled {
            let group = groupsBySet[key.set]?[key.group]
            return Labelled(id: key.group, label: group.map { $0.label(in: words.language) } ?? key.group)
        }
        // The names of the groups in one language. Groups of one id and label in two sets are counted as one, as they
        // are named alike; two ids of one label get their ids.
        func groupNames(_ words: CoverageWords) -> [Labelled: String] {
            let groups = groupOrder.map { labelled($0, words) }.uniqued()
            let names = Self.groupNames(groups.map { (id: $0.id, label: $0.label) })
            return Dictionary(zip(groups, names)) { first, _ in first }
        }
        // A prompt as a student finds it in the set: "'Alice' of group 'Group A' in template 1 of two-groups" (its id has
        // a template hash; a final review).
        var prompts: [String: Prompt] = [:]
        for match in matches where prompts[match.prompt.id] == nil { prompts[match.prompt.id] = match.prompt }
        func name(_ id: String, _ words: CoverageWords, _ names: [Labelled: String]) -> String {
            guard let prompt = prompts[id], let term = prompt.term, let template = prompt.templateIndex else {
                return TextEscaping.excerpt(id)
            }
            let group = names[labelled(GroupKey(set: prompt.set, group: prompt.group), words)]
                ?? CoverageWords.quoted(TextEscaping.excerpt(prompt.group))
            return words.promptName(group, TextEscaping.excerpt(term), template + 1, TextEscaping.excerpt(prompt.set))
        }
        for match in matches {
            let cell = StreamCell(model: match.line.model, key: RandomStreams.key(for: match.prompt))
            indices[cell, default: [:]][match.prompt.id, default: []].insert(match.line.sampleIndex)
            let group = GroupKey(set: match.prompt.set, group: match.prompt.group)
            if groupOf.updateValue(group, forKey: match.prompt.id) == nil, !groupOrder.contains(group) {
                groupOrder.append(group)
            }
            if !modelOrder.contains(match.line.model) { modelOrder.append(match.line.model) }
        }
        let rank = Dictionary(uniqueKeysWithValues: modelOrder.enumerated().map { ($1, $0) })
        // Models in the file's order (as the analysis compares them), templates by key.
        let cells = indices.keys.sorted { (rank[$0.model]!, $0.key) < (rank[$1.model]!, $1.key) }
        var notes: [(CoverageWords) -> String] = []
        // The indices a model's prompts of a set have where more than half of them (over all its templates) have the
        // same ones, nil where none do. A prompt of a template is expected to have those of them its template has, or
        // all of its template's where there are none (a review: one prompt sampled 12 times beside 10 was told of
        // "missing lines" and to "fill the gaps"; with two prompts in one template a gap and an extra line look alike
        // and count as a gap, with more templates the model's other prompts tell them apart).
        struct Scope: Hashable { let model: String; let set: String }
        func scope(_ cell: StreamCell) -> Scope {
            Scope(model: cell.model, set: indices[cell]!.keys.lazy.compactMap { prompts[$0]?.set }.first ?? "")
        }
        var drawnInScope: [Scope: [Set<Int>]] = [:]
        for cell in cells { drawnInScope[scope(cell), default: []].append(contentsOf: indices[cell]!.values) }
        let usualInScope = drawnInScope.compactMapValues { drawn -> Set<Int>? in
            let tally = Dictionary(drawn.map { ($0, 1) }, uniquingKeysWith: +)
            return tally.first { 2 * $0.value > drawn.count }?.key
        }
        // The indices more than half of a template's own prompts have count too (a second review: a template sampled 6
        // times where the set's others had 4 called its prompt missing sample 5 one with "more samples than the others").
        func expected(_ cell: StreamCell) -> Set<Int> {
            let drawn = Array(indices[cell]!.values)
            let union = drawn.reduce(into: Set<Int>()) { $0.formUnion($1) }
            let tally = Dictionary(drawn.map { ($0, 1) }, uniquingKeysWith: +)
            let own = tally.first { 2 * $0.value > drawn.count }?.key
            guard let usual = usualInScope[scope(cell)] else { return own ?? union }
            return usual.intersection(union).union(own ?? [])
        }
        let expectedInCell = Dictionary(uniqueKeysWithValues: cells.map { ($0, expected($0)) })
        // Templates whose prompts differ: with a prompt that lacks an expected index (a gap), or with extra lines only.
        typealias Example = (model: String, first: String, firstIndices: Set<Int>, other: String, otherIndices: Set<Int>)
        var templates: Set<String> = [], extraTemplates: Set<String> = []
        var example: Example?, extraExample: Example?
        var modelsWithGaps: [String] = []
        for cell in cells {
            let byPrompt = indices[cell]!
            let ids = byPrompt.keys.sorted()
            // The prompt with the most indices (the first such), and the first prompt whose indices differ from its.
            guard let widest = ids.max(by: { byPrompt[$0]!.count < byPrompt[$1]!.count }),
                let other = ids.first(where: { byPrompt[$0] != byPrompt[widest] })
            else { continue }
            let wanted = expectedInCell[cell]!
            if let lacking = ids.first(where: { !byPrompt[$0]!.isSuperset(of: wanted) }) {
                templates.insert(cell.key)
                if !modelsWithGaps.contains(cell.model) { modelsWithGaps.append(cell.model) }
                // A prompt with every expected index beside one that lacks some (or, where none has them all, one with
                // other indices: a second review saw one prompt shown twice).
                let full = ids.first { byPrompt[$0]!.isSuperset(of: wanted) }
                    ?? ids.first { byPrompt[$0] != byPrompt[lacking] } ?? widest
                if example == nil { example = (cell.model, full, byPrompt[full]!, lacking, byPrompt[lacking]!) }
            } else {
                extraTemplates.insert(cell.key)
                // Beside the widest, a prompt with just the expected indices where there is one.
                let usual = ids.first { byPrompt[$0] == wanted } ?? other
                if extraExample == nil { extraExample = (cell.model, widest, byPrompt[widest]!, usual, byPrompt[usual]!) }
            }
        }
        if let extraExample {
            let count = extraTemplates.count
            notes.append { words in
                let names = groupNames(words)
                return words.extraIndices(
                    count, TextEscaping.excerpt(extraExample.model), name(extraExample.first, words, names),
                    Self.indexList(extraExample.firstIndices), name(extraExample.other, words, names),
                    Self.indexList(extraExample.otherIndices))
            }
        }
        if let example {
            // Per model with gaps and group: the lines its prompts lack of their template's expected indices, of those
            // indices (a final review: one model's counts hid another's gaps, all in one group).
            let counts = modelsWithGaps.map { model in
                var missing: [GroupKey: (lacking: Int, expected: Int)] = [:]
                for (cell, byPrompt) in indices where cell.model == model {
                    let wanted = expectedInCell[cell]!
                    for (prompt, drawn) in byPrompt {
                        guard let group = groupOf[prompt] else { continue }
                        missing[group, default: (0, 0)].lacking += wanted.subtracting(drawn).count
                        missing[group, default: (0, 0)].expected += wanted.count
                    }
                }
                return (model: TextEscaping.excerpt(model), groups: missing)
            }
            let count = templates.count
            notes.append { words in
                let names = groupNames(words)
                // Per model, the groups in order of first appearance, by name (one id and label in two sets as one).
                let missing = counts.prefix(5).map { entry in
                    var groups: [(group: String, lacking: Int, expected: Int)] = []
                    for key in groupOrder {
                        guard let gap = entry.groups[key] else { continue }
                        let group = names[labelled(key, words)] ?? CoverageWords.quoted(TextEscaping.excerpt(key.group))
                        if let index = groups.firstIndex(where: { $0.group == group }) {
                            groups[index].lacking += gap.lacking
                            groups[index].expected += gap.expected
                        } else {
                            groups.append((group, gap.lacking, gap.expected))
                        }
                    }
                    return (model: entry.model, groups: groups)
                }
                return words.differentIndices(
                    count, TextEscaping.excerpt(example.model), name(example.first, words, names),
                    Self.indexList(example.firstIndices), name(example.other, words, names),
                    Self.indexList(example.otherIndices), missing, max(0, counts.count - 5))
            }
        }
        // Across models: a prompt that two models both have, with different indices; and whether those two models share
        // any stream (template and index) at all: if not, their comparisons are unpaired, said so (a final review: the
        // note said "paired on the indices they share" of two models that shared none).
        var byPrompt: [String: [(model: String, indices: Set<Int>)]] = [:]
        for cell in cells {
            for (prompt, drawn) in indices[cell]! { byPrompt[prompt, default: []].append((cell.model, drawn)) }
        }
        func streams(_ model: String) -> Set<String> {
            Set(indices.filter { $0.key.model == model }.flatMap { cell, byPrompt in
                byPrompt.values.flatMap { $0 }.map { "\(cell.key)\u{0}\($0)" }
            })
        }
        for prompt in byPrompt.keys.sorted() {
            let models = byPrompt[prompt]!
            guard let other = models.first(where: { $0.indices != models[0].indices }) else { continue }
            let shareNone = streams(models[0].model).isDisjoint(with: streams(other.model))
            notes.append { words in
                words.modelsDifferentIndices(
                    TextEscaping.excerpt(models[0].model), Self.indexList(models[0].indices), TextEscaping.excerpt(other.model),
                    Self.indexList(other.indices), name(prompt, words, groupNames(words)), shareNone)
            }
            break
        }
        return (notes.map { $0(.english) }, notes.map { $0(.spanish) })
    }

    /// Sample indices as a message shows them: "0–3" for a run, "0, 2, 3" otherwise (at most 10, then how many more).
    static func indexList(_ indices: Set<Int>) -> String {
        let sorted = indices.sorted()
        guard let first = sorted.first, let last = sorted.last else { return "" }
        if sorted.count > 1, last - first == sorted.count - 1 { return "\(first)–\(last)" }
        return sorted.prefix(10).map(String.init).joined(separator: ", ") + (sorted.count > 10 ? ", …" : "")
    }

    /// A list joined with commas, at most 10 items and then how many more ("1, 3, 5, … and 490 more", `more` in the
    /// notes' language).
    private static func capped(_ items: [String], more: (Int) -> String, lastSeparator: String = ", ", limit: Int = 10)
        -> String
    {
        guard items.count > limit else {
            return items.count < 2 ? items.joined() : items.dropLast().joined(separator: ", ") + lastSeparator + items[items.count - 1]
        }
        return items.prefix(limit).joined(separator: ", ") + " " + more(items.count - limit)
    }

    /// The scored records of `matches`, in the runner's order: model (first appearance in the file),
    /// set, prompt, sample index.
    /// - Parameters:
    ///   - matches: the lines with their prompts (``match(_:)``).
    ///   - pairedStreams: whether sample i of a template's prompts shares its random stream (common
    ///     random numbers); when false, each (template, group, model) gets its own stream key
    ///     (``unpairedStreamKey(_:group:model:)``), so the statistics compare groups (and models)
    ///     without pairing by stream.
    ///   - score: scores one continuation.
    public func records(
        _ matches: [Match], pairedStreams: Bool, score: (String) -> CompletionScores
    ) -> [CompletionRecord] {
        let modelOrder = Dictionary(uniqueKeysWithValues: matches.map(\.line.model).uniqued().enumerated().map { ($1, $0) })
        let setOrder = Dictionary(uniqueKeysWithValues: sets.enumerated().map { ($1.name, $0) })
        var promptOrder: [String: Int] = [:]
        for set in sets {
            for (index, prompt) in set.prompts.enumerated() { promptOrder[prompt.id] = index }
        }
        // Each line's rank looked up once, not in every comparison of the sort (four dictionary lookups, of strings, per
        // side of each of n log n comparisons). Ranks are distinct (a repeated model, prompt and index is refused), so the
        // order is the same.
        let ranks = matches.map { match in
            (modelOrder[match.line.model]!, setOrder[match.prompt.set]!, promptOrder[match.prompt.id]!, match.line.sampleIndex)
        }
        return matches.indices.sorted { ranks[$0] < ranks[$1] }.map { index in
            let (line, prompt) = (matches[index].line, matches[index].prompt)
            let streamKey = RandomStreams.key(for: prompt)
            return CompletionRecord(
                set: prompt.set, template: prompt.template,
                templateId: pairedStreams ? streamKey : Self.unpairedStreamKey(streamKey, group: prompt.group, model: line.model),
                group: prompt.group, term: prompt.term, promptId: prompt.id, prompt: prompt.text, model: line.model,
                sampleIndex: line.sampleIndex, text: line.text, tokenCount: line.tokenCount, stopReason: line.stopReason,
                scores: score(line.text), nextTokenLogOdds: line.nextTokenLogOdds.flatMap { $0.isFinite ? $0 : nil })
        }
    }

    /// The stream key of completions made without common random numbers: one per template, group and
    /// model, so no two groups (or models) share a stream and the statistics compare them unpaired.
    /// The template (with the group and model) stays the stratum of each group's level.
    public static func unpairedStreamKey(_ key: String, group: String, model: String) -> String {
        "\(key)\(unpairedMarker)\(group)/\(model)"
    }

    /// What ``unpairedStreamKey(_:group:model:)`` appends to a stream key.
    public static let unpairedMarker = "#unpaired/"

    /// The template's stream key of a stream key, paired or unpaired (without what ``unpairedStreamKey(_:group:model:)``
    /// appends).
    public static func templateKey(ofStreamKey key: String) -> String {
        key.components(separatedBy: unpairedMarker)[0]
    }

    /// What a `group` that is no group's id was most likely meant as, naming the id to write: a group's label (English
    /// or Spanish; review: only the ids were listed), or a group's id or label in other letter case (a hostile review:
    /// `Female-dominated` for the label `female-dominated` got no hint); nil when it is none of these.
    static func groupHint(_ given: String, groups: [PromptGroup]) -> String? {
        func labels(_ group: PromptGroup) -> [String] { [group.label] + (group.labels ?? [:]).values.sorted() }
        if let labelled = groups.first(where: { labels($0).contains(given) }) {
            return "that is the label of group '\(labelled.id)'; write its id"
        }
        // Letter case, and `-`, `_` and spaces, do not count in a near miss ("Female-dominated" for the id
        // `female_dominated`: a review).
        let given = foldedName(given)
        if let group = groups.first(where: { foldedName($0.id) == given }) {
            return "group ids are written exactly: write '\(group.id)'"
        }
        if let labelled = groups.first(where: { labels($0).contains { foldedName($0) == given } }) {
            return "that is the label of group '\(labelled.id)' written otherwise; write its id"
        }
        return nil
    }

    /// The one of `candidates` that `given` was most likely meant as: equal to it once both are folded by `fold`, and
    /// not equal as written; nil when none or several are.
    static func nearMiss(_ given: String, in candidates: [String], fold: (String) -> String) -> String? {
        let folded = fold(given)
        let matching = candidates.filter { $0 != given && fold($0) == folded }
        return matching.count == 1 ? matching[0] : nil
    }

    /// A name or term without letter case, outer white space, and with `_` and spaces as `-` (`names_race_gender`,
    /// `Nurse `, `emily`).
    static func foldedName(_ text: String) -> String {
        String(text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased().map { $0 == "_" || $0 == " " ? "-" : $0 })
    }

    /// A template without letter case, with its white space collapsed, every slot as `{}` whatever its braces or name
    /// (`{{name}}`, `{NAME}`, `{nombre}`: a class's review, a slot renamed in a notebook was only listed the set's
    /// templates), and without trailing dots or ellipses.
    static func foldedTemplate(_ text: String) -> String {
        var folded = text.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
            .replacingOccurrences(of: "{{", with: "{").replacingOccurrences(of: "}}", with: "}")
            .replacingOccurrences(of: #"\{[^{}]*\}"#, with: "{}", options: .regularExpression)
        while let last = folded.last, last == "." || last == "…" || last == " " { folded.removeLast() }
        return folded
    }

    /// At most 6 texts, quoted and escaped, then how many more.
    static func listed(_ texts: [String]) -> String {
        texts.prefix(6).map { "'\(TextEscaping.excerpt($0))'" }.joined(separator: ", ")
            + (texts.count > 6 ? ", and \(texts.count - 6) more" : "")
    }

    /// The prompt a line names.
    private func prompt(for line: SuppliedCompletion) throws -> Prompt {
        let place = "\(path):\(line.line)"
        if let id = line.promptId {
            guard let prompt = promptsByID[id] else {
                throw AuditError.badInput(
                    path: place, reason: "prompt_id '\(TextEscaping.excerpt(id))' is not a prompt of the prompt sets (\(setNames)); "
                        + "give the prompt set it comes from, or set, template, group and term instead")
            }
            try check(line, against: prompt, place: place)
            return prompt
        }
        guard let setName = line.set, let groupID = line.group else {
            throw AuditError.badInput(
                path: place, reason: SuppliedCompletion.namesNoPrompt)
        }
        guard let set = sets.first(where: { $0.name == setName }) else {
            // A notebook's `set: "names-race-gender.yaml"` names the file that was given (review: "give its YAML file").
            if let stem = Self.yamlFileStem(setName), let named = sets.first(where: { $0.name.lowercased() == stem.lowercased() }) {
                throw AuditError.badInput(
                    path: place, reason: "no prompt set named '\(TextEscaping.excerpt(setName))': write the set's name "
                        + "'\(named.name)', not its file name")
            }
            // A near miss of a set that was given (`names_race_gender`; a practitioner's review: told to give the YAML
            // file that had been given).
            if let named = Self.nearMiss(setName, in: sets.map(\.name), fold: Self.foldedName) {
                throw AuditError.badInput(
                    path: place, reason: "no prompt set named '\(TextEscaping.excerpt(setName))': set names are written "
                        + "exactly, write '\(named)'")
            }
            throw AuditError.badInput(
                path: place, reason: "no prompt set named '\(TextEscaping.excerpt(setName))' (prompt sets: \(setNames)); "
                    + "give its YAML file as PROMPTSET, or correct the line's 'set'")
        }
        guard let group = set.groups.first(where: { $0.id == groupID }) else {
            throw AuditError.badInput(
                path: place, reason: "unknown group '\(TextEscaping.excerpt(groupID))' in prompt set '\(setName)' (groups: "
                    + "\(set.groups.map(\.id).joined(separator: ", ")))"
                    + (Self.groupHint(groupID, groups: set.groups).map { "; " + $0 } ?? ""))
        }
        let key: PromptKey
        if let terms = group.terms {
            guard let template = line.template, let term = line.term else {
                // The line's keys, with the rename a notebook most likely needs ('name', the slot's name, for 'term').
                throw AuditError.badInput(
                    path: place, reason: "group '\(groupID)' of '\(setName)' fills templates with terms; give template and term"
                        + (SuppliedCompletion.nullHint(["template", "term"].filter { key in
                            key == "template" ? line.template == nil : line.term == nil
                        }, nulls: line.nullKeys).map { "; " + $0 } ?? "")
                        + (line.keys.map { "; " + SuppliedCompletion.keyHint(keys: $0, slots: set.slotNames) } ?? ""))
            }
            key = PromptKey(set: setName, group: groupID, template: template, termOrText: term)
            // Only a line that names no prompt of the set is searched for among its templates and terms, for the message
            // (every line searched them, up to 1,000 each).
            if promptsByKey[key] == nil {
                guard set.templates.contains(template) else {
                    // A template given filled in with a term ("Emily got the job because"): the prompt, not its template.
                    if let filled = set.prompts.first(where: { $0.group == groupID && $0.template != nil && $0.text == template })
                        ?? set.prompts.first(where: { $0.template != nil && $0.text == template }),
                       let written = filled.template
                    {
                        throw AuditError.badInput(
                            path: place, reason: "template '\(TextEscaping.excerpt(template))' is already filled in with the "
                                + "term '\(TextEscaping.excerpt(filled.term ?? ""))'; give the template as the set writes it, "
                                + "with its slot: '\(TextEscaping.excerpt(written))'")
                    }
                    // What to write (a practitioner's review: a trailing space, "...", "{{name}}" or "the" for "The" were
                    // told only that the template was none of the set's).
                    let advice = Self.nearMiss(template, in: set.templates, fold: Self.foldedTemplate).map {
                        "; templates are written exactly (white space, letter case, punctuation, the slot's name): write "
                            + "'\(TextEscaping.excerpt($0))'"
                    } ?? "; its templates: " + Self.listed(set.templates)
                    throw AuditError.badInput(
                        path: place, reason: "template '\(TextEscaping.excerpt(template))' is not one of the "
                            + "\(set.templates.count) templates of '\(setName)'" + advice)
                }
                guard terms.contains(where: { $0.term == term }) else {
                    let advice = Self.nearMiss(term, in: terms.map(\.term), fold: Self.foldedName).map {
                        "; terms are written exactly: write '\(TextEscaping.excerpt($0))'"
                    } ?? set.groups.first(where: { group in
                        group.id != groupID && (group.terms ?? []).contains { Self.foldedName($0.term) == Self.foldedName(term) }
                    }).map { group in
                        let written = (group.terms ?? []).first { Self.foldedName($0.term) == Self.foldedName(term) }?.term ?? term
                        return "; it is a term of group '\(group.id)'"
                            + (written == term ? "" : ", written '\(TextEscaping.excerpt(written))'")
                    } ?? ""
                    throw AuditError.badInput(
                        path: place, reason: "term '\(TextEscaping.excerpt(term))' is not a term of group '\(groupID)' in '\(setName)' (terms: "
                            + "\(terms.map(\.term).joined(separator: ", ")))" + advice)
                }
            }
        } else {
            let fixed = group.prompts ?? []
            guard let text = line.prompt ?? (fixed.count == 1 ? fixed.first : nil) else {
                throw AuditError.badInput(
                    path: place, reason: "group '\(groupID)' of '\(setName)' has fixed prompts; give the prompt text or prompt_id")
            }
            key = PromptKey(set: setName, group: groupID, template: nil, termOrText: text)
        }
        guard let prompt = promptsByKey[key] else {
            throw AuditError.badInput(
                path: place, reason: "no prompt of '\(setName)' matches this line (group '\(groupID)'); check its prompt text")
        }
        try check(line, against: prompt, place: place)
        return prompt
    }

    /// Refuses a line whose other keys contradict the prompt it names.
    private func check(_ line: SuppliedCompletion, against prompt: Prompt, place: String) throws {
        let claims: [(String, String?, String?)] = [
            ("set", line.set, prompt.set), ("group", line.group, prompt.group),
            ("template", line.template, prompt.template), ("term", line.term, prompt.term),
            ("prompt", line.prompt, prompt.text),
        ]
        for (key, given, expected) in claims {
            guard let given, given != expected else { continue }
            // What to do (a practitioner's review: a prompt with a trailing space was told only that it did not match).
            let advice = key == "prompt"
                ? (given.trimmingCharacters(in: .whitespacesAndNewlines) == expected?.trimmingCharacters(in: .whitespacesAndNewlines)
                    ? "; they differ in white space at the ends only: " : "; ")
                    + "write the prompt as the set makes it, or leave 'prompt' out (set, template, group and term name it)"
                : "; correct one of the line's keys"
            throw AuditError.badInput(
                path: place, reason: "\(key) '\(TextEscaping.excerpt(given))' does not match prompt \(prompt.id), whose \(key) is "
                    + "'\(expected.map { TextEscaping.excerpt($0) } ?? "absent")'" + advice)
        }
    }

    /// The file name of `value` without its directories and its `.yaml` or `.yml` suffix (any letter case), or nil
    /// when it has no such suffix: `sets/names-race-gender.yaml` → `names-race-gender`.
    private static func yamlFileStem(_ value: String) -> String? {
        let name = value.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? value
        let lowered = name.lowercased()
        guard let suffix = [".yaml", ".yml"].first(where: { lowered.hasSuffix($0) && lowered.count > $0.count }) else {
            return nil
        }
        return String(name.dropLast(suffix.count))
    }

    private var setNames: String {
        sets.isEmpty ? "none" : sets.map(\.name).joined(separator: ", ")
    }

    private struct SampleKey: Hashable {
        var model: String
        var promptID: String
        var sampleIndex: Int
    }
}

/// The words of the coverage notes (``CompletionMatcher/coverageNotes(_:sets:layouts:spanish:)``) in English (results.json's
/// `coverage_notes`, the terminal, the English reports) and Spanish (`coverage_notes_es`, the Spanish reports).
struct CoverageWords {
    /// The language's code, as a group's `labels:` key it (``PromptSets/PromptGroup/labelLanguages``).
    let language: String
    /// "and 490 more": the end of a list cut at 10 items.
    let more: (Int) -> String
    /// Between the last two items of a list not cut: ", " in English (the notes' style), " y " in Spanish (a teacher's
    /// review: "las plantillas 2, 3").
    let lastSeparator: String
    let noCompletions: (_ prompts: Int) -> String
    let someCompletions: (_ present: Int, _ prompts: Int, _ missing: [String]) -> String
    let groups: (_ count: Int) -> String
    let templates: (_ count: Int) -> String
    /// A group (named by ``CompletionMatcher/groupNames(_:)``, quoted) missing from a template (from 1).
    let cell: (_ group: String, _ template: Int) -> String
    /// A term (quoted) of a group (named by ``CompletionMatcher/groupNames(_:)``, quoted) without a line in any template.
    let term: (_ term: String, _ group: String) -> String
    /// A fixed prompt (quoted) of a group without a line.
    let prompt: (_ prompt: String, _ group: String) -> String
    let noLineWithOdds: String
    /// `missing`: the terms (``term``) with completions but no log-odds on any prompt.
    let someOdds: (_ measured: Int, _ present: Int, _ missing: [String]) -> String
    let models: (_ count: Int) -> String
    let promptEcho: (_ count: Int, _ lines: Int, _ firstLine: Int, _ prompt: String) -> String
    /// Prompts of one template without the same sample indices (``CompletionMatcher/differentIndicesNotes(_:sets:)``).
    let differentIndices: (_ templates: Int, _ model: String, _ first: String, _ firstIndices: String, _ other: String,
                           _ otherIndices: String, _ missing: [MissingByGroup], _ moreModels: Int) -> String
    /// A prompt as the set names it: group (named by ``CompletionMatcher/groupNames(_:)``, quoted), term, template (from
    /// 1) and set.
    let promptName: (_ group: String, _ term: String, _ template: Int, _ set: String) -> String
    /// Prompts of one template where the only difference is some prompts' extra lines (a prompt sampled more often):
    /// the templates, the model, a prompt with extra lines and its indices, a prompt without and its.
    let extraIndices: (_ templates: Int, _ model: String, _ first: String, _ firstIndices: String, _ other: String,
                       _ otherIndices: String) -> String
    let modelsDifferentIndices: (_ model: String, _ indices: String, _ other: String, _ otherIndices: String,
                                 _ prompt: String, _ shareNone: Bool) -> String
    /// Per model: per group (named by ``CompletionMatcher/groupNames(_:)``, quoted), the lines missing of their templates'
    /// indices, and those indices.
    typealias MissingByGroup = (model: String, groups: [(group: String, lacking: Int, expected: Int)])

    /// `text` in single quotes, or in double quotes when it holds an apostrophe ('nurse', "O'Brien"; a review: 'O'Brien'
    /// read as two quoted pieces).
    static func quoted(_ text: String) -> String { text.contains("'") ? "\"\(text)\"" : "'\(text)'" }

    /// "'m' 'A' 1 of 24, 'B' 0 of 24; 'n' …": the missing lines per model and group, `of` in the notes' language.
    static func missingCounts(_ missing: [MissingByGroup], of: String) -> String {
        missing.map { entry in
            "'\(entry.model)' " + entry.groups.map { "\($0.group) \($0.lacking) \(of) \($0.expected)" }.joined(separator: ", ")
        }.joined(separator: "; ")
    }
    /// A re-analysed `run --sweep` folder: its other settings are not recomputed, and the run's command does it.
    let sweepNotRecomputed: (_ settings: Int, _ command: String) -> String
    /// Lines whose template_id carries `#unpaired/` (``CompletionMatcher/unpairedMarkerNote(lines:of:)``).
    let unpairedMarker: (_ lines: Int, _ total: Int) -> String

    static let english = CoverageWords(
        language: "en",
        more: { "and \($0) more" },
        lastSeparator: ", ",
        noCompletions: { "no completions of its \($0) prompt\($0 == 1 ? "" : "s"), so no levels or contrasts" },
        someCompletions: { present, prompts, missing in
            "completions for \(present) of its \(prompts) prompt\(prompts == 1 ? "" : "s")"
                + (missing.isEmpty ? "" : " (none for \(missing.joined(separator: "; ")))")
                + "; its levels and contrasts rest on those only"
        },
        groups: { $0 == 1 ? "group " : "groups " },
        templates: { $0 == 1 ? "template " : "templates " },
        cell: { "group \($0) in template \($1)" },
        term: { "term \(quoted($0)) of group \($1)" },
        prompt: { "prompt \(quoted($0)) of group \($1)" },
        noLineWithOdds: "no line carries next_token_log_odds, so P(he) vs P(she) is left out of its analysis",
        someOdds: { measured, present, missing in
            measured == 0
                ? "no next_token_log_odds on its \(present) prompt\(present == 1 ? "" : "s") with completions, so no P(he) "
                    + "vs P(she)"
                : "next_token_log_odds for \(measured) of the \(present) prompts with completions"
                    + (missing.isEmpty ? "" : " (none for \(missing.joined(separator: "; ")))")
                    + "; its P(he) vs P(she) rests on those only"
        },
        models: { $0 == 1 ? "under model " : "under models " },
        promptEcho: { count, lines, line, prompt in
            "the text of \(count) of \(lines) completion lines begins with its own prompt (first: line \(line), "
                + "\(quoted(prompt))): 'text' must be the continuation only, or the prompt's words are scored as the model's; "
                + "keep only the new tokens (e.g. text = full[len(prompt):])"
        },
        differentIndices: { templates, model, first, firstIndices, other, otherIndices, missing, more in
            "the prompts of \(templates) template\(templates == 1 ? "" : "s") do not all have the same sample indices "
                + "(first under model '\(model)': prompt \(first) has \(firstIndices), prompt \(other) \(otherIndices); "
                + "missing lines (of the indices their template has), by model and group: "
                + missingCounts(missing, of: "of") + (more > 0 ? "; and \(more) more model\(more == 1 ? "" : "s")" : "")
                + "); completions are paired on the indices prompts share, sample i of a template on random stream i; lines "
                + "missing because of what they say (a filter, an API that dropped some) bias the levels and can make a "
                + "finding: fill the gaps"
        },
        promptName: { group, term, template, set in "\(quoted(term)) of group \(group) in template \(template) of \(set)" },
        extraIndices: { templates, model, first, firstIndices, other, otherIndices in
            "some prompts of \(templates) template\(templates == 1 ? "" : "s") have more samples than the others (first "
                + "under model '\(model)': prompt \(first) has \(firstIndices), prompt \(other) \(otherIndices)), and no "
                + "prompt of \(templates == 1 ? "it" : "them") with completions lacks a sample index that most prompts have, "
                + "so there is no gap to fill there; the extra samples are on random streams (sample i of a template on "
                + "stream i) that most prompts lack, and sampling every prompt as often keeps the design balanced"
        },
        modelsDifferentIndices: { model, indices, other, otherIndices, prompt, shareNone in
            shareNone
                ? "models '\(model)' and '\(other)' share no sample index in any template (\(prompt): \(indices) and "
                    + "\(otherIndices)), so their model comparisons are unpaired"
                : "models '\(model)' and '\(other)' have different sample indices for a prompt (\(prompt): \(indices) and "
                    + "\(otherIndices)); their completions are paired on the indices they share, sample i of a template on "
                    + "random stream i"
        },
        sweepNotRecomputed: { settings, command in
            "the run's sampling sweep (\(settings) settings), which is not recomputed: completions.jsonl holds only its "
                + "base setting (the first) and the other settings' completions are in the run's run.sqlite; running the "
                + "run's command again (\(command)) from the folder it was first run in, so that its --out names the "
                + "run's folder, recomputes every setting without generating anything"
        },
        unpairedMarker: { lines, total in
            "the template_id of \(lines == total ? "every line" : "\(lines) of its \(total) lines") names a group and model "
                + "after '#unpaired/' (the completions.jsonl of an analysis declared --unpaired), so the file is analysed "
                + "unpaired, as that analysis was; without its template_id values it is analysed paired"
        })

    static let spanish = CoverageWords(
        language: "es",
        more: { "y \($0) más" },
        lastSeparator: " y ",
        noCompletions: { "ninguna continuación de \($0 == 1 ? "su 1 prompt" : "sus \($0) prompts"), así que sin niveles ni contrastes" },
        someCompletions: { present, prompts, missing in
            "continuaciones para \(present) de \(prompts == 1 ? "su 1 prompt" : "sus \(prompts) prompts")"
                + (missing.isEmpty ? "" : " (ninguna para: \(missing.joined(separator: "; ")))")
                + "; sus niveles y contrastes se basan solo en ellas"
        },
        groups: { $0 == 1 ? "el grupo " : "los grupos " },
        templates: { $0 == 1 ? "la plantilla " : "las plantillas " },
        cell: { "el grupo \($0) en la plantilla \($1)" },
        term: { "el término \(quoted($0)) del grupo \($1)" },
        prompt: { "el prompt \(quoted($0)) del grupo \($1)" },
        noLineWithOdds: "ninguna línea trae next_token_log_odds, así que P(he) frente a P(she) queda fuera de su análisis",
        someOdds: { measured, present, missing in
            measured == 0
                ? "sin next_token_log_odds en \(present == 1 ? "su 1 prompt" : "sus \(present) prompts") con continuaciones, "
                    + "así que sin P(he) frente a P(she)"
                : "next_token_log_odds para \(measured) de los \(present) prompts con continuaciones"
                    + (missing.isEmpty ? "" : " (ninguna para: \(missing.joined(separator: "; ")))")
                    + "; su P(he) frente a P(she) se basa solo en ellos"
        },
        models: { $0 == 1 ? "con el modelo " : "con los modelos " },
        promptEcho: { count, lines, line, prompt in
            "el texto de \(count) de \(lines) líneas de continuación empieza por su propio prompt (la primera: línea "
                + "\(line), \(quoted(prompt))): 'text' debe ser solo la continuación, o las palabras del prompt se puntúan como "
                + "del modelo; conserve solo los tokens nuevos (p. ej., text = full[len(prompt):])"
        },
        differentIndices: { templates, model, first, firstIndices, other, otherIndices, missing, more in
            "los prompts de \(templates == 1 ? "una plantilla" : "\(templates) plantillas") no tienen todos los mismos "
                + "índices de muestra (el primer caso con el modelo '\(model)': el prompt \(first) tiene \(firstIndices), "
                + "el prompt \(other) \(otherIndices); líneas que faltan (de los índices que tiene su plantilla), por modelo y grupo: "
                + missingCounts(missing, of: "de") + (more > 0 ? "; y \(more) modelo\(more == 1 ? "" : "s") más" : "")
                + "); las continuaciones se emparejan en los índices que los prompts comparten, la muestra i de una "
                + "plantilla en el flujo aleatorio i; las líneas que faltan por lo que dicen (un filtro, una API que descartó "
                + "algunas) sesgan los niveles y pueden producir un hallazgo: complete los huecos"
        },
        promptName: { group, term, template, set in "\(quoted(term)) del grupo \(group) en la plantilla \(template) de \(set)" },
        extraIndices: { templates, model, first, firstIndices, other, otherIndices in
            "algunos prompts de \(templates == 1 ? "una plantilla" : "\(templates) plantillas") tienen más muestras que "
                + "los demás (el primer caso con el modelo '\(model)': el prompt \(first) tiene \(firstIndices), el prompt "
                + "\(other) \(otherIndices)), y a ningún prompt con continuaciones de \(templates == 1 ? "ella" : "ellas") le "
                + "falta un índice de muestra que tenga la mayoría, así que ahí no hay huecos que completar; las muestras de "
                + "más están en flujos aleatorios (la muestra i de una plantilla en el flujo i) que a la mayoría de los "
                + "prompts les faltan, y muestrear cada prompt las mismas veces mantiene el diseño equilibrado"
        },
        modelsDifferentIndices: { model, indices, other, otherIndices, prompt, shareNone in
            shareNone
                ? "los modelos '\(model)' y '\(other)' no comparten ningún índice de muestra en ninguna plantilla (\(prompt): "
                    + "\(indices) y \(otherIndices)), así que sus comparaciones de modelos no están emparejadas"
                : "los modelos '\(model)' y '\(other)' tienen índices de muestra distintos en un prompt (\(prompt): "
                    + "\(indices) y \(otherIndices)); sus continuaciones se emparejan en los índices que comparten, la "
                    + "muestra i de una plantilla en el flujo aleatorio i"
        },
        sweepNotRecomputed: { settings, command in
            "el barrido de muestreo de la ejecución (\(settings) configuraciones), que no se recalcula: completions.jsonl "
                + "solo contiene su configuración base (la primera) y las continuaciones de las demás están en el "
                + "run.sqlite de la ejecución; volver a ejecutar su comando (\(command)) desde la carpeta en la que se "
                + "ejecutó por primera vez, para que su --out indique la carpeta de la ejecución, las recalcula todas sin "
                + "generar nada"
        },
        unpairedMarker: { lines, total in
            "el template_id de \(lines == total ? "cada línea" : "\(lines) de sus \(total) líneas") nombra un grupo y un "
                + "modelo tras '#unpaired/' (el completions.jsonl de un análisis declarado --unpaired), así que el archivo se "
                + "analiza sin emparejar, como ese análisis; sin sus valores de template_id se analiza emparejado"
        })
}
