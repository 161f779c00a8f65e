import AuditResults
import PromptSets

/// The fixed text of the speed table, the counterfactual pairs and the labour-statistics tables, in one
/// language (kept beside ``ReportWords``, which holds the rest). Parameters are already escaped.
struct ReportSectionWords: Sendable {
    /// "Hugging Face Hub" / "local directory".
    let source: @Sendable (_ source: String?) -> String
    /// The note under the speed table when a model's completions were partly or wholly reused.
    let resumedNote: @Sendable (_ models: [String]) -> String
    /// A model that generated nothing in this invocation: its tokens/s cell.
    let nothingGenerated: String
    /// The speed table's note when no peak memory could be measured.
    let memoryNote: String
    /// "template 2, sample index 3": where a counterfactual pair was drawn; the template numbered from 1 in the set's
    /// list, the sample index the completions' `sample_index` (from 0), as the coverage notes give it (review 86: the
    /// pairs said "sample 6" for sample_index 5). `template` is nil for a set of fixed prompts, which has no templates
    /// to number: "sample index 3" (review 87: "template —").
    let pairPlace: @Sendable (_ template: String?, _ sample: String) -> String
    /// The counterfactual pairs' caption; `templates` false for a set of fixed prompts, whose pairs are a prompt of each
    /// group with the same sample index, and whose caption says nothing of templates (review 87).
    let pairsCaption: @Sendable (_ set: String, _ templates: Bool) -> String
    /// Before the terms of a group's row in the group table, where the completions covered only some of them
    /// (``AuditResults/GroupInfo/termsWithData``): "3 of 8 terms:" (counts formatted); "2 of 3 prompts:" for a group
    /// of fixed prompts (`prompts`), whose ``AuditResults/GroupInfo/terms`` are its prompts (review 87).
    let someTerms: @Sendable (_ analysed: String, _ all: String, _ prompts: Bool) -> String
    /// A group's terms cell where the completions covered none of its terms: "none of its 8 terms" (review 87: "0 of 8
    /// terms: " and an empty list); `one` when it has a single term, `prompts` for a group of fixed prompts.
    let noTerms: @Sendable (_ all: String, _ one: Bool, _ prompts: Bool) -> String
    /// A group's prompts cell where the completions covered only some of them: "9 of 24" (counts formatted).
    let somePrompts: @Sendable (_ analysed: String, _ all: String) -> String
    /// The header's note of a report in another language than English on the prompt sets whose group labels, or whose
    /// description and source, have no translation into it and are shown in English (newcomer's review: a Spanish
    /// report showed them without a word); nil in English.
    let untranslated: @Sendable (_ labels: [String], _ texts: [String]) -> String?
    /// A served model's requests without parameters the run asked for (`top_k`, `seed`), which its server refused.
    let notSent: @Sendable (_ parameters: String) -> String
    /// A served model whose server returned no log-probabilities (``AuditResults/ModelManifest/nextTokenLogOdds``
    /// `unavailable`): its P(he)/P(she) were not measured.
    let noLogOdds: String
    /// A run sampled with top-k 1 (greedy decoding): its samples of a prompt are copies of one text
    /// (``Statistics/GroupData/holdCopies(_:)``), so only the variation between terms is measured; `units` what the
    /// run's groups with completions are made of (a review: the fixed-prompts aside showed in runs of terms alone);
    /// `served`: whether the run has a served model, whose server must sample too (said only then: a teacher's review).
    let greedy: @Sendable (_ units: UnitKind, _ served: Bool) -> String
    /// Said after ``greedy`` when only some of the run's models wrote copies: those models (escaped, joined).
    let greedyOnly: @Sendable (_ models: String) -> String
    /// Said after ``greedy`` when a sweep has settings whose samples of a prompt differ: the settings with copies
    /// (escaped, joined: "top-k 1").
    let greedyInSweepOnly: @Sendable (_ settings: String) -> String
    /// The note on a sweep some settings of which wrote copies of one draw while the main tables sampled: those settings
    /// (escaped, joined) and what a group is made of (a review: the header's note stood above sampled main tables).
    let greedyInSweep: @Sendable (_ settings: String, _ units: UnitKind) -> String
    /// The header's note on prompt sets sampled with fewer samples per prompt than the validated designs: their names
    /// (escaped, joined) with their samples per prompt (formatted, fewest first), the validated minimum, and the names of
    /// the sets whose group levels have no interval from one sample per prompt (`too_few_samples`; nil when none);
    /// `greedyHint`: whether to say that greedy completions are declared with `analyze --top-k 1`
    /// (``AuditResults/AuditManifest/undeclaredGreedyHint``; a review: only the terminal said it).
    let fewSamples: @Sendable (
        _ groups: [(sets: String, samples: String)], _ validated: String, _ oneSample: String?, _ greedyHint: Bool
    ) -> String
    /// The header's note on a prompt set whose results hold more examples or counterfactual pairs than the report
    /// shows (a hand-made file): the set, the examples and pairs left out (formatted counts, nil when none), and the
    /// most shown per group and model and per model.
    let rowsLeftOut: @Sendable (_ set: String, _ examples: String?, _ pairs: String?, _ perGroup: Int, _ perModel: Int) -> String
    /// The labour table's caption for one model.
    let labourCaption: @Sendable (_ set: String, _ model: String, _ ci: String) -> String
    /// "Spearman’s ρ = +0.71 over 12 occupations with enough gendered words", with its p-value when known
    /// ("p = 0.42", or nil for results written before it was recorded).
    let spearman: @Sendable (_ rho: String, _ occupations: String, _ p: String?) -> String
    /// No rank correlation: too few supported occupations (`tooFew`, with their count), or no variation, said of the
    /// side that has none (`constant`: a teaching assistant's review, "do not vary in the model's male share or in the
    /// share of men employed" beside a table whose labour shares ran from 89% to 98%).
    let noSpearman: @Sendable (_ tooFew: Bool, _ supported: String, _ constant: LabourConstantSide) -> String
    /// An occupation's male share below the minimum support: "too few gendered words (3 for this occupation, below
    /// the minimum of 20)" (a group's own says "in this group", a contrast's names its thinner group).
    let occupationTooFewWords: @Sendable (_ observed: Int, _ minimum: Int) -> String
    /// An occupation with too few completions holding a gendered word.
    let occupationTooFewCompletions: @Sendable (_ observed: Int, _ minimum: Int) -> String
    /// An occupation without a completion (`analyze` of a file that leaves it out): not "too few gendered words (0 …)",
    /// which read as the model writing none (a practitioner's review).
    let occupationNoCompletions: String
    /// The header's note on completions `analyze` read: a re-analysed run (`run` is its directory) or a
    /// completions file made elsewhere (`run` nil), with the file and its short SHA-256.
    /// `run`: the folder of the audit `analyze` re-analysed (nil for a completions file); `declared`: the sampling
    /// settings are as declared on a command line (biasaudit did not generate the completions), also when the folder
    /// re-analysed was itself an analysis of such a file.
    let analysedFrom: @Sendable (_ file: String, _ digest: String, _ run: String?, _ declared: Bool) -> String
    /// The header's note when a completions file (not a run's) was analysed paired: what the pairing assumes, and the
    /// flag for when it does not hold.
    let analysedPaired: String
    /// The header's note when the completions were analysed unpaired, and what that means for the intervals;
    /// `reason` is the recorded reason (English, as results.json keeps it).
    /// `recorded`: the reason is a sentence biasaudit recorded in English (not the `--unpaired` option).
    /// With `severalModels` false (one model) nothing is said of models (review: a one-model report spoke of model
    /// comparisons it does not have).
    let analysedUnpaired: @Sendable (_ reason: String, _ recorded: Bool, _ severalModels: Bool) -> String
    /// What the completions leave out (``AuditResults/CompletionsSource/coverageNotes`` or, in Spanish,
    /// ``AuditResults/CompletionsSource/coverageNotesEs``, escaped); `inEnglish` when the sentences are English in a
    /// report of another language (files written before `coverage_notes_es`).
    let coverage: @Sendable (_ notes: [String], _ inEnglish: Bool) -> String
    /// Completions of a set under a model cut short by the model's full context window
    /// (``AuditResults/ContextFullCount``): how many of how many, the fewest new tokens one got and the new
    /// tokens asked for (nil when unknown, or not more than the fewest: a completions file records only the default), and
    /// what to do.
    let contextFull: @Sendable (
        _ count: String, _ total: String, _ set: String, _ model: String, _ fewest: String?, _ asked: String?
    ) -> String
    /// The header's note on results whose numbers may follow earlier statistical rules than the Methods describe
    /// (no ``AuditResults/AnalysisParameters/statisticsRevision``, or an older one), with the file's revision (nil:
    /// none recorded) and this build's, and how to recompute them (`sweep`: a `run --sweep`, whose other settings only
    /// its run.sqlite holds, is recomputed by running its command again).
    let earlierRules: @Sendable (_ revision: Int?, _ current: Int, _ sweep: Bool) -> String
    /// The header's note on results of a later revision of the statistical rules than this build applies (a file of a
    /// newer biasaudit), with both revisions.
    let laterRules: @Sendable (_ revision: Int, _ current: Int) -> String
    /// A set's note when its templates read as another language than English (``PromptSets/TemplateLanguage``), with
    /// the language (nil: not English, but not one language either) and the words found (quoted, escaped): every scorer
    /// reads English (a teacher's review: the methods said the models' English was scored).
    /// `units`: what the set's groups are made of, so the advice names what to rewrite (a teacher's review: "write the
    /// templates" to a set of fixed prompts).
    let otherLanguageTemplates: @Sendable (_ language: TemplateLanguage.Language?, _ words: String, _ units: UnitKind) -> String
    /// The caution after a finding (and a set's lines in the terminal summary) of a set whose templates read as another
    /// language: its numbers are English scorers' readings of other text (a teacher's review: a Spanish class's set put a
    /// finding on the first page and the printed handout, while the set's note stayed in its closed section).
    /// `inReport`: said in a report, which has the set's section to point to (the terminal summary has none).
    let otherLanguageFinding: @Sendable (_ language: TemplateLanguage.Language?, _ inReport: Bool) -> String
    /// The short caution under such a set's name in the at-a-glance table, whose rows mark findings too (a read-through:
    /// the first screen's table had no word of it).
    let otherLanguageGlance: @Sendable (_ language: TemplateLanguage.Language?) -> String

    /// English.
    static let english = ReportSectionWords(
        source: {
            $0 == "hub" ? "Hugging Face Hub" : $0 == "local" ? "local directory"
                : $0 == "openai-compatible" ? "OpenAI-compatible server" : $0 == "completions" ? "completions file"
                : ReportNumbers.missing
        },
        resumedNote: { models in
            "Resumed run: \(joinedList(models, conjunction: "and")) reused completions stored by an earlier invocation; "
                + "the speed shown is this invocation’s share only."
        },
        nothingGenerated: "none generated (all stored)",
        memoryNote: "Peak memory is the process’s peak resident memory while the model was loaded and generating; — where it could not be measured.",
        pairPlace: { template, sample in
            (template.map { "template \($0), " } ?? "") + "sample index \(sample)"
        },
        pairsCaption: { set, templates in
            templates
                ? "\(set): counterfactual pairs — the same template and sample index (the same random numbers) with "
                    + "only the group term changed; the pairs whose sentiment differs most (template n: the nth of the "
                    + "templates above, counted from 1; sample index: the completions’ sample_index, from 0)"
                : "\(set): counterfactual pairs — a fixed prompt of each group with the same sample index (the same "
                    + "random numbers), any prompt of one group against any of the other: the two prompts may differ in "
                    + "more than the group, so a gap is not the group’s effect alone; the pairs whose sentiment differs "
                    + "most (sample index: the completions’ sample_index, from 0)"
        },
        someTerms: { analysed, all, prompts in "\(analysed) of \(all) \(prompts ? "prompts" : "terms"):" },
        noTerms: { all, one, prompts in
            one ? "none (its one \(prompts ? "prompt" : "term"))" : "none of its \(all) \(prompts ? "prompts" : "terms")"
        },
        somePrompts: { analysed, all in "\(analysed) of \(all)" },
        untranslated: { _, _ in nil },
        notSent: { "sampled without \($0), which the server did not take" },
        noLogOdds: "its server returned no log-probabilities, so its P(he)/P(she) were not measured",
        greedy: { units, served in
            let unit = units == .prompts ? "prompt" : "term"
            let between = englishBetween(units)
            return "Every sample of a prompt came out as the same text (as greedy decoding, top-k 1, writes them): one "
                + "draw and not several, so each prompt counts once and more samples add nothing. Every metric then "
                + "varies only \(between): a contrast of groups with one \(unit) each has no interval and no test "
                + "(“unknown: no variance estimate”), nor has the level of a one-\(unit) group, unless groups of several "
                + "\(unit)s in the same set lend them their variation. A rate’s or share’s contrast with a one-\(unit) group "
                + "has no test in any case, and a rate or share at 0% or 100% has no interval where no group of several "
                + "\(unit)s in its set varies. To measure how the model "
                + "writes when it samples, sample (the default settings" + (served ? "; a served model’s server must sample too" : "")
                + ")."
        },
        greedyOnly: { "This holds for \($0) only; the other models’ samples of a prompt differ." },
        greedyInSweepOnly: { "In the sampling sweep, prompts came out as copies at \($0) only." },
        greedyInSweep: { settings, units in
            let between = englishBetween(units)
            return "In the sampling sweep, at \(settings), every sample of a prompt came out as the same text (greedy "
                + "decoding): there each prompt counts once, every metric varies only \(between), and a group of one "
                + "\(units == .prompts ? "prompt" : "term") has no interval (“no CI: no variance estimate”). The main tables sampled."
        },
        fewSamples: { groups, validated, oneSample, greedyHint in
            groups.map { "\($0.sets): \($0.samples) \($0.samples == "1" ? "sample" : "samples") per prompt" }.joined(separator: "; ")
                + ", fewer than the \(validated) to 16 the "
                + "statistics are validated with (docs/statistics-validation.md in biasaudit’s source). With fewer samples the variance the "
                + "random streams carry (shared or not) rests on few of them, and intervals, of rates above all, can come out too narrow: read "
                + "findings as tentative, or sample more."
                + (oneSample.map { " With one sample per prompt (\($0)) it cannot be estimated at all: group levels have no "
                    + "interval, nor have contrasts between one-term groups, and the other contrasts, which keep theirs, are "
                    + "too narrow wherever the streams move the groups unalike (sample at least 2"
                    + (greedyHint ? "; completions decoded greedily, top-k 1, are each their prompt’s one draw: analyse "
                        + "them with --top-k 1" : "") + ")." } ?? "")
        },
        rowsLeftOut: { set, examples, pairs, perGroup, perModel in
            "\(set) holds more examples or counterfactual pairs than a run writes (3 examples per group and model, "
                + "2 pairs per model): the report shows at most \(perGroup) examples per group and model and \(perModel) "
                + "pairs per model, and leaves out "
                + [examples.map { "\($0) examples" }, pairs.map { "\($0) pairs" }].compactMap { $0 }.joined(separator: " and ")
                + ", which stay in results.json."
        },
        labourCaption: { set, model, ci in
            "\(set), \(model): each occupation’s male share among gendered words (\(ci)) beside the share "
                + "of men employed in it (labour statistics)"
        },
        spearman: { rho, occupations, p in
            "Spearman’s rank correlation between the model’s male share and the share of men employed: ρ = \(rho) over "
                + "\(occupations) occupations with enough gendered words"
                + (p.map { " (\($0) against no association)" } ?? "")
                + "; a positive ρ means the model writes male words more often for the occupations more men hold."
        },
        noSpearman: { tooFew, supported, constant in
            if tooFew {
                return "No rank correlation: fewer than \(LabourComparison.minimumOccupations) occupations have enough "
                    + "gendered words (\(supported))."
            }
            switch constant {
            case .model:
                return "No rank correlation: the model’s male share is the same for every occupation with enough data, so "
                    + "it puts none of them above another."
            case .labour:
                return "No rank correlation: the share of men employed is the same for every occupation with enough data."
            case .both:
                return "No rank correlation: neither the model’s male share nor the share of men employed varies over the "
                    + "occupations with enough data."
            }
        },
        occupationTooFewWords: { observed, minimum in
            "too few gendered words (\(observed) for this occupation, below the minimum of \(minimum))"
        },
        occupationTooFewCompletions: { observed, minimum in
            "too few completions with a gendered word (\(observed) for this occupation, below the minimum of \(minimum))"
        },
        occupationNoCompletions: "no completions for this occupation",
        analysedFrom: { file, digest, run, declared in
            run.map {
                declared
                    ? "Re-analysed: biasaudit analyze recomputed the scores and statistics from the completions of the "
                        + "analysis in \($0) (\(file), SHA-256 \(digest)); biasaudit did not generate these completions, "
                        + "and the sampling settings shown are as declared when they were first analysed."
                    : "Re-analysed: biasaudit analyze recomputed the scores and statistics from the completions of the run "
                        + "in \($0) (\(file), SHA-256 \(digest))."
            } ?? "Analysed from a completions file: biasaudit analyze scored \(file) (SHA-256 \(digest)); biasaudit did "
                + "not generate these completions, and the sampling settings shown are as declared on its command line (run's "
                + "defaults where none was given)."
        },
        analysedPaired: "Analysed paired by sample index: sample i of every prompt of a template (and of every model) is "
            + "taken to share random stream i, as biasaudit's own runs draw them; if the completions were sampled "
            + "independently (a notebook without one seed per sample index, an API), analyse the file again with "
            + "--unpaired, whose intervals are usually wider.",
        analysedUnpaired: { reason, recorded, severalModels in
            // Made unpaired by mismatched indices (`recorded`: analyses before statistics revision 9), the streams may still be shared: said so, since the levels
            // of groups mostly sampled once then have no interval (a second review: "no two groups share a random
            // stream" stood above "[no CI]" for the shared streams' variance).
            "Analysed unpaired (\(reason)): "
                + (recorded ? "the sample indices do not line up, so the completions are not paired by random stream: no two "
                    + (severalModels ? "groups or models are" : "groups are") + " taken to share one (they may still, as only "
                    + "--unpaired declares they do not: a group whose prompts were mostly sampled once has no level interval)."
                    : "the completions were not sampled with common random numbers, so no two "
                        + (severalModels ? "groups or models share" : "groups share") + " a random stream.")
                + " Each interval counts every group’s sampling noise separately, with none of it "
                + "cancelling in a difference, and is usually wider than a paired run of the same size would give (on one "
                + "data set it can come out narrower: the paired estimate also counts the streams’ estimated covariance)"
                + (severalModels ? "; the model comparisons are unpaired too." : ".")
        },
        coverage: { notes, _ in
            "About the completions: " + notes.joined(separator: "; ") + "."
        },
        contextFull: { count, total, set, model, fewest, asked in
            let fit = fewest.map { $0 == "0" ? "" : ", or at most \($0) new \($0 == "1" ? "token" : "tokens")" } ?? ", or fewer new tokens"
            return "\(count) of \(total) completions of \(set) under \(model) stopped early because the model's context "
                + "window was full (the prompt and the new tokens reached its length)"
                + (fewest.map { fewest in
                    ", some after only \(fewest)" + (asked.map { " of the \($0) new tokens asked for" } ?? (fewest == "1" ? " new token" : " new tokens"))
                } ?? "")
                + " (stop_reason context_full in completions.jsonl). Use shorter templates\(fit) "
                + "(--max-new-tokens or the set's defaults.max_new_tokens)."
        },
        earlierRules: { revision, current, sweep in
            "These numbers were computed by an earlier biasaudit ("
                + (revision.map { "statistics revision \($0)" } ?? "before statistics revisions were recorded")
                + "; this one applies revision \(current)), under statistical rules that may differ from the ones "
                + "Methods describe (the README's “Statistics revisions” lists what changed). "
                + (sweep
                    ? "Running this run's biasaudit run command (manifest.command_line) again from the folder it was "
                        + "first run in, so that its --out names this run's folder with its run.sqlite, recomputes them "
                        + "and every sweep setting under today's rules, generating nothing."
                    : "biasaudit analyze RUN_DIR (the folder with this run's completions.jsonl) recomputes them under "
                        + "today's rules, generating nothing.")
        },
        laterRules: { revision, current in
            "These numbers were computed by a newer biasaudit (statistics revision \(revision); this one applies "
                + "revision \(current)): Methods describe this version's rules, which may not be the ones the "
                + "numbers follow. Make the report with the biasaudit that wrote the results, or update this one."
        },
        otherLanguageTemplates: { language, words, units in
            "This set’s prompts seem " + (language.map { "to be written in \($0.name)" } ?? "not to be written in English")
                + " (\(words)), but biasaudit scores in English: VADER sentiment, the English pronoun and gendered-word "
                + "lexicon, and the next tokens “ he” and “ she”. If they " + (language == nil ? "are not" : "are")
                + ", its sentiment, male share and he/she log-odds do not measure what they say (lint warns: "
                + "english-scorers); write the "
                + (units == .prompts ? "prompts" : units == .both ? "templates and fixed prompts" : "templates")
                + " in English and keep the "
                + (language?.name ?? "other language") + " in the labels, description and source."
        },
        otherLanguageFinding: { language, inReport in
            "Caution: this set’s prompts seem " + (language.map { "to be written in \($0.name)" } ?? "not to be written in English")
                + ", and biasaudit scores in English, so this may not measure what it says"
                + (inReport ? " (see the set’s section)." : " (lint: english-scorers).")
        },
        otherLanguageGlance: { language in
            "Caution: prompts " + (language.map { "seem to be in \($0.name)" } ?? "seem not to be in English")
                + ", scored in English (see the set’s section)"
        })

    /// Spanish.
    static let spanish = ReportSectionWords(
        source: {
            $0 == "hub" ? "Hugging Face Hub" : $0 == "local" ? "directorio local"
                : $0 == "openai-compatible" ? "servidor compatible con OpenAI"
                : $0 == "completions" ? "archivo de continuaciones" : ReportNumbers.missing
        },
        resumedNote: { models in
            "Ejecución reanudada: \(joinedList(models, conjunction: "y")) \(models.count > 1 ? "reutilizaron" : "reutilizó") "
                + "continuaciones guardadas por una "
                + "ejecución anterior; la velocidad mostrada es solo la de esta ejecución."
        },
        nothingGenerated: "ninguna generada (todas guardadas)",
        memoryNote: "La memoria máxima es el pico de memoria residente del proceso mientras el modelo estaba cargado y generando; — donde no pudo medirse.",
        pairPlace: { template, sample in
            (template.map { "plantilla \($0), " } ?? "") + "índice de muestra \(sample)"
        },
        pairsCaption: { set, templates in
            templates
                ? "\(set): pares contrafactuales — la misma plantilla y el mismo índice de muestra (los mismos números "
                    + "aleatorios) cambiando solo el término del grupo; los pares cuyo sentimiento más difiere (plantilla n: "
                    + "la n-ésima de las plantillas de arriba, contando desde 1; índice de muestra: el sample_index de las "
                    + "continuaciones, desde 0)"
                : "\(set): pares contrafactuales — un prompt fijo de cada grupo con el mismo índice de muestra (los "
                    + "mismos números aleatorios), cualquier prompt de un grupo frente a cualquiera del otro: los dos "
                    + "prompts pueden diferir en algo más que el grupo, así que una diferencia no es solo efecto del "
                    + "grupo; los pares cuyo sentimiento más difiere (índice de muestra: el sample_index de las "
                    + "continuaciones, desde 0)"
        },
        someTerms: { analysed, all, prompts in "\(analysed) de \(all) \(prompts ? "prompts" : "términos"):" },
        noTerms: { all, one, prompts in
            one ? "ninguno (su único \(prompts ? "prompt" : "término"))"
                : "ninguno de sus \(all) \(prompts ? "prompts" : "términos")"
        },
        somePrompts: { analysed, all in "\(analysed) de \(all)" },
        untranslated: { labels, texts in
            let parts = [
                labels.isEmpty ? nil : "las etiquetas de grupo de " + labels.joined(separator: ", ")
                    + " (añada labels: {es: …} a sus grupos)",
                texts.isEmpty ? nil : "la descripción o la fuente de " + texts.joined(separator: ", ")
                    + " (añada descriptions: {es: …} y sources: {es: …} al conjunto de prompts)",
            ].compactMap { $0 }
            guard !parts.isEmpty else { return nil }
            return "Sin traducción al español, y por eso en inglés: " + parts.joined(separator: "; ") + "."
        },
        notSent: { "muestreado sin \($0), que el servidor no aceptó" },
        noLogOdds: "su servidor no devolvió log-probabilidades, así que no se midió su P(he)/P(she)",
        greedy: { units, served in
            let unit = units == .prompts ? "prompt" : "término"
            let between = spanishBetween(units)
            return "Todas las muestras de un prompt salieron con el mismo texto (como las escribe la decodificación "
                + "voraz, top-k 1): una sola extracción y no varias, así que cada prompt cuenta una vez y más muestras "
                + "no añaden nada. Cada métrica varía entonces solo \(between): un contraste de grupos con un \(unit) "
                + "cada uno no tiene intervalo ni prueba (“desconocido: sin estimación de la varianza”), ni lo tiene el "
                + "nivel de un grupo de un solo \(unit), salvo que grupos de varios \(unit)s del mismo conjunto les presten "
                + "su variación. El contraste de una tasa o proporción con un grupo de un solo \(unit) no tiene prueba en "
                + "ningún caso, y una tasa o proporción en el 0\u{00A0}% o el 100\u{00A0}% no tiene intervalo donde ningún "
                + "grupo de varios \(unit)s de su conjunto varía. Para medir cómo escribe el modelo cuando muestrea, muestree (los "
                + "ajustes por defecto" + (served ? "; el servidor de un modelo servido también debe muestrear" : "") + ")."
        },
        greedyOnly: { "Esto vale solo para \($0); las muestras de un prompt de los demás modelos difieren." },
        greedyInSweepOnly: { "En el barrido de muestreo, los prompts salieron como copias solo con \($0)." },
        greedyInSweep: { settings, units in
            let between = spanishBetween(units)
            return "En el barrido de muestreo, con \(settings), todas las muestras de un prompt salieron con el mismo texto "
                + "(decodificación voraz): ahí cada prompt cuenta una vez, cada métrica "
                + "varía solo \(between), y un grupo de un solo "
                + "\(units == .prompts ? "prompt" : "término") no tiene intervalo (“sin IC: sin estimación de la varianza”). "
                + "Las tablas principales muestrearon."
        },
        fewSamples: { groups, validated, oneSample, greedyHint in
            groups.map { "\($0.sets): \($0.samples) \($0.samples == "1" ? "muestra" : "muestras") por prompt" }.joined(separator: "; ")
                + ", por debajo de las \(validated) a 16 con las que se validó la estadística "
                + "(docs/statistics-validation.md en el código fuente de biasaudit). Con menos muestras, la varianza que llevan los flujos aleatorios "
                + "(compartidos o no) descansa en pocos de ellos, y los intervalos, sobre todo los de las tasas, pueden salir "
                + "demasiado estrechos: tome los hallazgos como provisionales, o muestree más."
                + (oneSample.map { " Con una sola muestra por prompt (\($0)) esa varianza no se puede estimar en absoluto: "
                    + "los niveles de grupo no "
                    + "tienen intervalo, ni los contrastes entre grupos de un solo término, y los demás contrastes, que lo "
                    + "conservan, salen demasiado estrechos allí donde los flujos mueven a los grupos de forma distinta "
                    + "(muestree al menos 2" + (greedyHint ? "; las continuaciones de una decodificación voraz, top-k 1, "
                        + "son cada una la única extracción de su prompt: analícelas con --top-k 1" : "") + ")." } ?? "")
        },
        rowsLeftOut: { set, examples, pairs, perGroup, perModel in
            "\(set) contiene más ejemplos o pares contrafactuales de los que escribe una ejecución (3 ejemplos por "
                + "grupo y modelo, 2 pares por modelo): el informe muestra como máximo \(perGroup) ejemplos por grupo y "
                + "modelo y \(perModel) pares por modelo, y omite "
                + [examples.map { "\($0) ejemplos" }, pairs.map { "\($0) pares" }].compactMap { $0 }.joined(separator: " y ")
                + ", que siguen en results.json."
        },
        labourCaption: { set, model, ci in
            "\(set), \(model): proporción masculina de cada ocupación entre las palabras de género (\(ci)) "
                + "junto a la proporción de hombres empleados en ella (estadísticas laborales)"
        },
        spearman: { rho, occupations, p in
            "Correlación de rangos de Spearman entre la proporción masculina del modelo y la proporción de hombres "
                + "empleados: ρ = \(rho) sobre \(occupations) ocupaciones con suficientes palabras de género"
                + (p.map { " (\($0), contrastado con la hipótesis de ausencia de asociación)" } ?? "")
                + "; una ρ positiva significa que el modelo escribe palabras masculinas con más frecuencia en las "
                + "ocupaciones que ejercen más hombres."
        },
        noSpearman: { tooFew, supported, constant in
            if tooFew {
                return "Sin correlación de rangos: menos de \(LabourComparison.minimumOccupations) ocupaciones tienen "
                    + "suficientes palabras de género (\(supported))."
            }
            switch constant {
            case .model:
                return "Sin correlación de rangos: la proporción masculina del modelo es la misma en todas las ocupaciones "
                    + "con datos suficientes, así que no pone ninguna por encima de otra."
            case .labour:
                return "Sin correlación de rangos: la proporción de hombres empleados es la misma en todas las ocupaciones "
                    + "con datos suficientes."
            case .both:
                return "Sin correlación de rangos: ni la proporción masculina del modelo ni la proporción de hombres "
                    + "empleados varían entre las ocupaciones con datos suficientes."
            }
        },
        occupationTooFewWords: { observed, minimum in
            "muy pocas palabras de género (\(observed) para esta ocupación, por debajo del mínimo de \(minimum))"
        },
        occupationTooFewCompletions: { observed, minimum in
            "muy pocas continuaciones con una palabra de género (\(observed) para esta ocupación, por debajo del mínimo "
                + "de \(minimum))"
        },
        occupationNoCompletions: "ninguna continuación para esta ocupación",
        analysedFrom: { file, digest, run, declared in
            run.map {
                declared
                    ? "Auditoría reanalizada: biasaudit analyze recalculó las puntuaciones y la estadística a partir de las "
                        + "continuaciones del análisis en \($0) (\(file), SHA-256 \(digest)); biasaudit no generó estas "
                        + "continuaciones, y los ajustes de muestreo mostrados son los declarados cuando se analizaron por "
                        + "primera vez."
                    : "Auditoría reanalizada: biasaudit analyze recalculó las puntuaciones y la estadística a partir de las "
                        + "continuaciones de la ejecución en \($0) (\(file), SHA-256 \(digest))."
            } ?? "Auditoría analizada a partir de un archivo de continuaciones: biasaudit analyze puntuó \(file) (SHA-256 \(digest)); "
                + "biasaudit no generó estas continuaciones, y los ajustes de muestreo mostrados son los declarados en su "
                + "línea de órdenes (los valores por defecto de run donde no se dio ninguno)."
        },
        analysedPaired: "Auditoría analizada con las continuaciones emparejadas por índice de muestra: se toma que la muestra i de cada prompt de una plantilla "
            + "(y de cada modelo) comparte el flujo aleatorio i, como los extraen las ejecuciones de biasaudit; si las "
            + "continuaciones se muestrearon de forma independiente (un cuaderno sin una semilla por índice de muestra, "
            + "una API), analice el archivo de nuevo con --unpaired, cuyos intervalos suelen ser más anchos.",
        analysedUnpaired: { reason, recorded, severalModels in
            "Auditoría analizada sin emparejar (motivo registrado\(recorded ? ", en inglés" : ""): \(reason)): "
                + (recorded ? "los índices de muestra no coinciden, así que las continuaciones no se emparejan por flujo "
                    + "aleatorio: no se toma que ningún par de grupos" + (severalModels ? " ni de modelos" : "")
                    + " comparta uno (aún pueden compartirlo, pues solo --unpaired declara que no: un grupo cuyos prompts se "
                    + "muestrearon casi todos una sola vez no tiene intervalo de nivel). "
                    : "las continuaciones no se muestrearon con números aleatorios comunes, así que ningún par de grupos"
                        + (severalModels ? " ni de modelos" : "") + " comparte un flujo aleatorio. ")
                + "Cada "
                + "intervalo cuenta por separado el ruido de muestreo de cada grupo, sin que nada se cancele en una diferencia, "
                + "y suele ser más ancho que el de una ejecución emparejada del mismo tamaño (en unos datos concretos puede salir "
                + "más estrecho: la estimación emparejada cuenta también la covarianza estimada de los flujos)" + (severalModels ? "; las comparaciones entre modelos tampoco están emparejadas." : ".")
        },
        coverage: { notes, inEnglish in
            "Sobre las continuaciones" + (inEnglish ? " (detalle en inglés)" : "") + ": "
                + notes.joined(separator: "; ") + "."
        },
        contextFull: { count, total, set, model, fewest, asked in
            let fit = fewest.map { $0 == "0" ? "" : " o como máximo \($0) \($0 == "1" ? "token nuevo" : "tokens nuevos")" } ?? " o menos tokens nuevos"
            return "\(count) de \(total) continuaciones de \(set) con \(model) se detuvieron antes de tiempo porque la "
                + "ventana de contexto del modelo estaba llena (el prompt y los tokens nuevos alcanzaron su longitud)"
                + (fewest.map { fewest in
                    ", algunas tras solo \(fewest)" + (asked.map { " de los \($0) tokens nuevos pedidos" } ?? (fewest == "1" ? " token nuevo" : " tokens nuevos"))
                } ?? "")
                + " (stop_reason context_full en completions.jsonl). Use plantillas más cortas\(fit) "
                + "(--max-new-tokens o defaults.max_new_tokens del conjunto)."
        },
        earlierRules: { revision, current, sweep in
            "Estos números los calculó una versión anterior de biasaudit ("
                + (revision.map { "revisión estadística \($0)" } ?? "antes de que se registraran las revisiones estadísticas")
                + "; esta aplica la revisión \(current)), con reglas estadísticas que pueden diferir de las que "
                + "describen los métodos (la sección “Statistics revisions” del README enumera los cambios). "
                + (sweep
                    ? "Volver a ejecutar el comando biasaudit run de esta ejecución (manifest.command_line) desde la "
                        + "carpeta en la que se ejecutó por primera vez, para que su --out indique la carpeta de esta "
                        + "ejecución con su run.sqlite, los recalcula, con todas las configuraciones del barrido, según "
                        + "las reglas actuales, sin generar nada."
                    : "biasaudit analyze RUN_DIR (la carpeta con el completions.jsonl de esta ejecución) los recalcula "
                        + "con las reglas actuales, sin generar nada.")
        },
        laterRules: { revision, current in
            "Estos números los calculó una versión más reciente de biasaudit (revisión estadística \(revision); esta "
                + "aplica la revisión \(current)): los métodos describen las reglas de esta versión, que pueden no ser "
                + "las de los números. Genere el informe con la versión de biasaudit que escribió los resultados, o "
                + "actualice esta."
        },
        otherLanguageTemplates: { language, words, units in
            let name = language.map(Self.spanishName)
            return "Los prompts de este conjunto parecen " + (name.map { "estar escritos en \($0)" } ?? "no estar escritos en inglés")
                + " (\(words)), pero biasaudit puntúa en inglés: el sentimiento de VADER, el léxico inglés de pronombres y "
                + "palabras de género, y el token siguiente « he» o « she». Si " + (name == nil ? "no " : "")
                + "lo están, su sentimiento, su proporción masculina y sus log-odds no miden lo que dicen (lint lo "
                + "advierte: english-scorers); escriba "
                + (units == .prompts ? "los prompts" : units == .both ? "las plantillas y los prompts fijos" : "las plantillas")
                + " en inglés y deje el " + (name ?? "otro idioma")
                + " en las etiquetas, la descripción y la fuente."
        },
        otherLanguageFinding: { language, inReport in
            "Atención: los prompts de este conjunto parecen "
                + (language.map { "estar escritos en \(Self.spanishName($0))" } ?? "no estar escritos en inglés")
                + " y biasaudit puntúa en inglés, así que esto puede no medir lo que dice"
                + (inReport ? " (vea la sección del conjunto)." : " (lint: english-scorers).")
        },
        otherLanguageGlance: { language in
            "Atención: los prompts " + (language.map { "parecen estar en \(Self.spanishName($0))" } ?? "parecen no estar en inglés")
                + " y se puntúan en inglés (vea la sección del conjunto)"
        })

    /// The name of a language in Spanish ("francés").
    static func spanishName(_ language: TemplateLanguage.Language) -> String {
        switch language {
        case .spanish: "español"
        case .french: "francés"
        case .italian: "italiano"
        case .portuguese: "portugués"
        }
    }
}

extension ReportLanguage {
    /// The fixed text of the speed, pair and labour-statistics tables in this language.
    var sectionWords: ReportSectionWords {
        switch self {
        case .en: .english
        case .es: .spanish
        }
    }
}

/// Which side of the labour comparison has no variation over the supported occupations, when Spearman's ρ is
/// undefined for want of it (``ReportSectionWords/noSpearman``).
enum LabourConstantSide: Sendable {
    /// The model's male share is the same for every supported occupation.
    case model
    /// The share of men employed is.
    case labour
    /// Both are.
    case both

    /// The side without variation over `rows` (the supported occupations), `.both` when neither has any or both do not.
    init(_ rows: [OccupationShare]) {
        let model = Set(rows.compactMap(\.maleShare.value)).count <= 1
        let labour = Set(rows.map(\.menShare)).count <= 1
        self = model && !labour ? .model : labour && !model ? .labour : .both
    }
}

extension ReportSectionWords {
    /// What a metric of copies varies between, in the greedy notes: a group's terms, its prompts, or both.
    static func englishBetween(_ units: UnitKind) -> String {
        switch units {
        case .terms: "between a group’s terms"
        case .prompts: "between a group’s prompts"
        case .both: "between a group’s terms (between its prompts, in a group of fixed prompts)"
        }
    }

    /// ``englishBetween(_:)`` in Spanish.
    static func spanishBetween(_ units: UnitKind) -> String {
        switch units {
        case .terms: "entre los términos de un grupo"
        case .prompts: "entre los prompts de un grupo"
        case .both: "entre los términos de un grupo (entre sus prompts, en un grupo de prompts fijos)"
        }
    }
}
