import AuditResults
import Foundation
import PromptSets

/// The notes `run`, `merge` and `analyze` print on standard error when they end, in the language of `--lang`, as the
/// reports and the terminal summary are (a Spanish class read English notes beside its Spanish report and summary):
/// how `analyze` paired the completions, an injected bias, sets sampled with fewer samples per prompt than the
/// validated designs. ``TerminalSummary/contextFullNotes(_:language:)`` gives the notes on a full context window.
/// English is the text `check` and `diff` print too (``AuditResults/AuditResult/injectedBiasNote(run:)``,
/// ``AuditResults/AuditManifest/fewSamplesNote(run:)``). Names are short escaped excerpts; the caller prints each note
/// on one line.
public enum TerminalNotes {
    /// `analyze`'s note on how the completions were paired: analysed unpaired (with the recorded reason), or assumed
    /// paired for completions made elsewhere; nil for a re-analysed biasaudit run, which is paired by its own streams.
    public static func pairing(_ source: CompletionsSource, language: ReportLanguage) -> String? {
        if !source.pairedStreams {
            // Every contrast and model comparison: the pairing is the file's (a statistician's review: "groups" was said
            // where two models' indices differed). Only a declared --unpaired (here or in the analysis re-analysed)
            // makes it so since statistics revision 9.
            let reason = TextEscaping.line(source.unpairedReason ?? CompletionsSource.declaredUnpairedReason)
            switch language {
            case .en:
                return "completions analysed unpaired, without shared random streams (\(reason)): every group contrast "
                    + "and model comparison counts each side's sampling noise separately"
            case .es:
                // A reason other than --unpaired is a sentence results.json keeps in English, and is said to be one.
                let shown = source.declaredUnpaired ? reason : "motivo registrado, en inglés: \(reason)"
                return "continuaciones analizadas sin emparejar, sin flujos aleatorios compartidos (\(shown)): cada "
                    + "contraste entre grupos y cada comparación entre modelos cuenta por separado el ruido de muestreo "
                    + "de cada lado"
            }
        }
        // Review: a notebook file analysed as paired without a word, the methods stating shared streams.
        guard source.completionsMadeElsewhere else { return nil }
        switch language {
        case .en:
            return "completions analysed as paired: sample i of a template is taken to share its random stream across "
                + "terms and models, as in biasaudit's runs; if they were sampled independently (a notebook loop, an "
                + "API), analyse them with --unpaired"
        case .es:
            return "continuaciones analizadas como emparejadas: se supone que la muestra i de una plantilla comparte su "
                + "flujo aleatorio entre términos y modelos, como en las ejecuciones de biasaudit; si se muestrearon de "
                + "forma independiente (un bucle en un cuaderno, una API), analícelas con --unpaired"
        }
    }

    /// The note on a run made with `--inject-bias` (nil otherwise): its differences include a simulated bias. English is
    /// ``AuditResults/AuditResult/injectedBiasNote(run:)`` of "This run"; Spanish names each group by its Spanish
    /// label, as the Spanish report does.
    public static func injectedBias(_ result: AuditResult, language: ReportLanguage) -> String? {
        switch language {
        case .en:
            return result.injectedBiasNote(run: "This run")
        case .es:
            guard let biases = result.manifest.parameters.injectedBiases, !biases.isEmpty else { return nil }
            let list = biases.map { "'\(TextEscaping.excerpt($0.asTyped))'" }.joined(separator: ", ")
            func group(_ id: String, in set: String) -> String {
                let info = result.promptSets.first { $0.name == set }?.groups.first { $0.id == id }
                return TextEscaping.excerpt(info?.label(in: ReportLanguage.es.rawValue) ?? id)
            }
            let draws = (result.injectedBiasDraws ?? []).map { draws in
                "'\(TextEscaping.excerpt(draws.token))' en \(draws.withToken) de las \(draws.completions) continuaciones de "
                    + "\(group(draws.group, in: draws.promptSet)) con \(TextEscaping.excerpt(draws.model)) "
                    + "(\(draws.otherWithToken) de las \(draws.otherCompletions) de los demás grupos)"
            }
            return "Esta ejecución se hizo con --inject-bias \(list): un sesgo simulado sumado a los logits de los "
                + "modelos, por lo que sus diferencias reflejan la inyección, no solo los modelos."
                + (draws.isEmpty ? "" : " Continuaciones que contienen el token: " + draws.prefix(8).joined(separator: "; ")
                    + (draws.count > 8 ? "; … (\(draws.count - 8) más en results.json)" : "") + ".")
        }
    }

    /// The note on a run whose samples of a prompt came out as one text (``AuditResults/AuditResult/holdsCopiesOfOneDraw``,
    /// greedy decoding): the report header's words, in `language` (a student's review: it was said only there).
    /// Where only some of the run's models wrote copies, the note names them (a teacher's review); `name` prints a
    /// model id (the caller escapes the whole note for a terminal).
    /// A sweep's settings that wrote copies (``AuditResults/AuditResult/sweepSettingsWithCopiesOfOneDraw``) are named
    /// by their swept values: after the main note where the sweep's other settings sampled, or in a note of their own
    /// where the main tables sampled (a review: a `--sweep top_k=50,1` report's header said every sample came out as
    /// one text, above main tables sampled at top-k 50). `setting` prints a setting's text (the caller escapes).
    public static func greedy(
        _ result: AuditResult, language: ReportLanguage, name: (String) -> String = { "'\($0)'" },
        setting: (String) -> String = { $0 }
    ) -> String? {
        let words = language.sectionWords
        let models = result.modelsWithCopiesOfOneDraw
        let copiedSettings = result.sweepSettingsWithCopiesOfOneDraw
        let settingsText = result.sweep.map { sweep in
            language.words.list(copiedSettings.map { setting(SweepBuilder.settingText($0, of: sweep, language: language)) })
        } ?? ""
        guard !models.isEmpty else {
            return copiedSettings.isEmpty ? nil : words.greedyInSweep(settingsText, unitKind(result))
        }
        let all = Set(result.manifest.models.map(\.id))
        var note = words.greedy(unitKind(result), result.manifest.models.contains { $0.endpoint != nil })
        if !all.isSubset(of: Set(models)) { note += " " + words.greedyOnly(language.words.list(models.map(name))) }
        if let sweep = result.sweep, !copiedSettings.isEmpty, copiedSettings.count < sweep.settings.count {
            note += " " + words.greedyInSweepOnly(settingsText)
        }
        return note
    }

    /// What the groups with completions of `result`'s prompt sets are made of: terms, fixed prompts, or both.
    static func unitKind(_ result: AuditResult) -> UnitKind {
        UnitKind(fixed: result.analysedGroupsAreFixedPrompts)
    }

    /// The note on models of the run that are one model in several folders (nil when none): English is
    /// ``AuditResults/AuditManifest/identicalModelsNote(_:)``; Spanish says the same of the same models.
    public static func identicalModels(_ manifest: AuditManifest, language: ReportLanguage) -> String? {
        switch language {
        case .en:
            return AuditManifest.identicalModelsNote(manifest.models)
        case .es:
            let groups = AuditManifest.identicalModels(manifest.models)
            guard !groups.isEmpty else { return nil }
            let said = groups.map { ids in
                let weights = manifest.models.first { $0.id == ids[0] }?.weightsSHA256 ?? ""
                return language.words.list(ids.map { "'\(TextEscaping.excerpt($0))'" })
                    + " son un mismo modelo (sha256 de los pesos \(ReportNumbers.shortDigest(weights)))"
            }
            return said.joined(separator: "; ") + ": sus pesos, su configuración y los archivos de su tokenizador son "
                + "idénticos, así que escriben las mismas continuaciones y el cambio de cada comparación entre ellos es "
                + "exactamente 0; para comparar dos modelos, pase dos distintos"
        }
    }

    /// The note on prompt sets sampled with fewer samples per prompt than the validated designs (nil when none): English
    /// is ``AuditResults/AuditManifest/fewSamplesNote(run:)``; Spanish says the same of the same sets.
    public static func fewSamples(_ manifest: AuditManifest, language: ReportLanguage) -> String? {
        switch language {
        case .en:
            return manifest.fewSamplesNote()
        case .es:
            let groups = manifest.setsBelowValidatedSamplesBySamples
            guard !groups.isEmpty else { return nil }
            func names(_ sets: [PromptSetManifest]) -> String {
                sets.map { TextEscaping.excerpt($0.name) }.joined(separator: ", ")
            }
            // "a, b: 2 muestras por prompt; c: 1 muestra por prompt", as the Spanish report's header lists them.
            let parts = groups.map { group in
                "\(names(group.sets)): \(group.samples) \(group.samples == 1 ? "muestra" : "muestras") por prompt"
            }
            // As in English: not of an analysis declared --unpaired, whose one-sample levels keep their intervals.
            let once = groups.first {
                $0.samples == 1 && manifest.parameters.topK != 1 && manifest.source?.declaredUnpaired != true
            }
            return parts.joined(separator: "; ")
                + ", por debajo de las \(AuditManifest.fewestValidatedSamples) a 16 con las que se validó la estadística "
                + "(docs/statistics-validation.md): los intervalos, sobre todo los de las tasas, pueden salir demasiado "
                + "estrechos; tome los hallazgos como provisionales, o muestree más"
                + (once.map { group in
                    "; con una sola muestra por prompt (\(names(group.sets))) no se puede estimar la varianza de los "
                        + "flujos aleatorios compartidos: los niveles de grupo no tienen intervalo, ni los contrastes "
                        + "entre grupos de un solo término, y los demás contrastes salen demasiado estrechos allí donde "
                        + "los flujos mueven a los grupos de forma distinta (muestree al menos 2"
                        + (manifest.undeclaredGreedyHint ? "; las continuaciones de una decodificación voraz, top-k 1, "
                            + "son cada una la única extracción de su prompt: analícelas con --top-k 1" : "") + ")"
                } ?? "")
        }
    }
}
