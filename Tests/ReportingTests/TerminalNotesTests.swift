import AuditResults
import XCTest

@testable import Reporting

/// The notes `run`, `merge` and `analyze` print on standard error when they end, in the language of `--lang`: under
/// `--lang es` the notes on how the completions were paired, an injected bias, sets sampled with fewer samples than the
/// validated designs and a full context window were English beside a Spanish summary and report (a teacher's review of
/// `analyze --lang es`). English stays the text `check` and `diff` print.
final class TerminalNotesTests: XCTestCase {
    /// English words of the notes that no Spanish note may hold.
    private let englishWords = [
        "completions ", "analysed", "sample ", "samples", "was made", "fewer than", "stopped", "under ", "groups", "the ",
    ]

    private func assertSpanish(_ note: String?, contains expected: [String], file: StaticString = #filePath, line: UInt = #line)
        throws
    {
        let note = try XCTUnwrap(note, "no Spanish note", file: file, line: line)
        for text in expected {
            XCTAssertTrue(note.contains(text), "'\(text)' missing from: \(note)", file: file, line: line)
        }
        for word in englishWords {
            XCTAssertFalse(note.contains(word), "English '\(word)' in the Spanish note: \(note)", file: file, line: line)
        }
    }

    func testPairingNotesInBothLanguages() throws {
        var source = CompletionsSource(
            completionsFile: "c.jsonl", sha256: String(repeating: "0", count: 64), reanalysedRun: nil, pairedStreams: false,
            unpairedReason: CompletionsSource.declaredUnpairedReason, declaredParameters: true)
        XCTAssertEqual(
            TerminalNotes.pairing(source, language: .en),
            "completions analysed unpaired, without shared random streams (--unpaired): every group contrast and model "
                + "comparison counts each side's sampling noise separately")
        try assertSpanish(TerminalNotes.pairing(source, language: .es), contains: [
            "continuaciones analizadas sin emparejar, sin flujos aleatorios compartidos (--unpaired): cada contraste entre "
                + "grupos y cada comparación entre modelos cuenta por separado el ruido de muestreo de cada lado",
        ])
        // A reason recorded in English (an analysis made unpaired by mismatched indices) is said to be English.
        source.unpairedReason = "the sample indices do not line up"
        let recorded = try XCTUnwrap(TerminalNotes.pairing(source, language: .es))
        XCTAssertTrue(recorded.contains("(motivo registrado, en inglés: the sample indices do not line up)"), recorded)
        // Assumed paired: a completions file made elsewhere.
        source.pairedStreams = true
        source.unpairedReason = nil
        XCTAssertEqual(
            TerminalNotes.pairing(source, language: .en),
            "completions analysed as paired: sample i of a template is taken to share its random stream across terms and "
                + "models, as in biasaudit's runs; if they were sampled independently (a notebook loop, an API), analyse "
                + "them with --unpaired")
        try assertSpanish(TerminalNotes.pairing(source, language: .es), contains: [
            "continuaciones analizadas como emparejadas: se supone que la muestra i de una plantilla comparte su flujo "
                + "aleatorio entre términos y modelos", "analícelas con --unpaired",
        ])
        // A re-analysed biasaudit run is paired by its own streams: no note in either language.
        source.reanalysedRun = "out"
        source.declaredParameters = false
        XCTAssertNil(TerminalNotes.pairing(source, language: .en))
        XCTAssertNil(TerminalNotes.pairing(source, language: .es))
    }

    func testInjectedBiasNoteNamesTheGroupByItsSpanishLabel() throws {
        var result = try ReportFixture.result()
        XCTAssertNil(TerminalNotes.injectedBias(result, language: .es))
        result.manifest.parameters.injectedBiases = [InjectedBias(group: "female_dominated", token: " terrible", logit: 8)]
        result.injectedBiasDraws = [InjectedBiasDraws(
            group: "female_dominated", token: " terrible", model: "gpt2", promptSet: "occupations-gender", completions: 240,
            withToken: 64, otherCompletions: 240, otherWithToken: 3)]
        XCTAssertEqual(TerminalNotes.injectedBias(result, language: .en), result.injectedBiasNote(run: "This run"))
        // A comparison counts the draws of the models it compares only (practitioner's review: `diff` counted those of a
        // model it said it left out).
        XCTAssertTrue(try XCTUnwrap(result.injectedBiasNote(run: "A", models: ["gpt2"])).contains("under gpt2"))
        let leftOut = try XCTUnwrap(result.injectedBiasNote(run: "A", models: ["distilgpt2"]))
        XCTAssertFalse(leftOut.contains("gpt2 ("), leftOut)
        XCTAssertFalse(leftOut.contains("Completions holding the token"), leftOut)
        try assertSpanish(TerminalNotes.injectedBias(result, language: .es), contains: [
            "Esta ejecución se hizo con --inject-bias 'female_dominated: terrible=8': un sesgo simulado sumado a los logits "
                + "de los modelos, por lo que sus diferencias reflejan la inyección, no solo los modelos.",
            "Continuaciones que contienen el token: ' terrible' en 64 de las 240 continuaciones de Ocupaciones con mayoría "
                + "de mujeres con gpt2 (3 de las 240 de los demás grupos).",
        ])
    }

    func testFewSamplesNoteInSpanish() throws {
        var result = try ReportFixture.result()
        XCTAssertNil(TerminalNotes.fewSamples(result.manifest, language: .es))
        let (first, second) = (result.manifest.promptSets[0].name, result.manifest.promptSets[1].name)
        result.manifest.promptSets[0].samples = 3
        result.manifest.promptSets[1].samples = 1
        XCTAssertEqual(TerminalNotes.fewSamples(result.manifest, language: .en), result.manifest.fewSamplesNote())
        try assertSpanish(TerminalNotes.fewSamples(result.manifest, language: .es), contains: [
            "\(second): 1 muestra por prompt; \(first): 3 muestras por prompt, por debajo de las 6 a 16 con las que se validó la "
                + "estadística (docs/statistics-validation.md)",
            "tome los hallazgos como provisionales, o muestree más",
            "; con una sola muestra por prompt (\(second)) no se puede estimar la varianza de los flujos aleatorios "
                + "compartidos",
        ])
        // Greedy decoding: no note, as in English.
        result.manifest.parameters.topK = 1
        XCTAssertNil(TerminalNotes.fewSamples(result.manifest, language: .es))
    }

    /// The context-full notes printSummary prints under `--lang es` are Spanish.
    func testContextFullNoteInSpanish() throws {
        var result = try ReportFixture.result()
        let set = try XCTUnwrap(result.promptSets.firstIndex { $0.name == "religion" })
        result.promptSets[set].contextFull = [ContextFullCount(model: "gpt2", completions: 12, total: 24, fewestNewTokens: 7)]
        let spanish = TerminalSummary.contextFullNotes(result, language: .es)
        XCTAssertEqual(spanish.count, 1)
        try assertSpanish(spanish.first, contains: ["12 de 24 continuaciones de religion con gpt2 se detuvieron antes de tiempo"])
    }
    /// Models whose four files all have the same SHA-256 are one model, grouped in the order given; a model with a file
    /// not recorded is in no group (served models, completions files).
    func testModelsWithTheSameFilesAreSaidToBeOneModel() throws {
        func model(_ id: String, weights: String?, vocab: String? = "v") -> ModelManifest {
            var manifest = ModelManifest(
                id: id, repoID: nil, revision: nil, commit: nil, weightsSHA256: weights, layers: nil, embeddingSize: nil, heads: nil)
            manifest.configSHA256 = "c"
            manifest.vocabSHA256 = vocab
            manifest.mergesSHA256 = "m"
            return manifest
        }
        let w1 = String(repeating: "ab", count: 32)
        let w2 = String(repeating: "cd", count: 32)
        let models = [
            model("base", weights: w1), model("ft", weights: w2), model("copy", weights: w1), model("ft2", weights: w2),
            model("other-vocab", weights: w1, vocab: "v2"), model("served", weights: nil), model("copy2", weights: w1),
        ]
        XCTAssertEqual(AuditManifest.identicalModels(models), [["base", "copy", "copy2"], ["ft", "ft2"]])
        XCTAssertEqual(AuditManifest.identicalModels([model("a", weights: nil), model("b", weights: nil)]), [])
        XCTAssertNil(AuditManifest.identicalModelsNote(Array(models.prefix(2))))
        XCTAssertEqual(
            AuditManifest.identicalModelsNote(models),
            "'base', 'copy' and 'copy2' are one model (weights sha256 abababababab); 'ft' and 'ft2' are one model (weights "
                + "sha256 cdcdcdcdcdcd): their weights, config and tokenizer files are identical, so they write the same "
                + "completions and the change of every comparison between them is an exact 0; to compare two models, "
                + "pass two different ones")
        var result = try ReportFixture.result()
        result.manifest.models = models
        try assertSpanish(TerminalNotes.identicalModels(result.manifest, language: .es), contains: [
            "'base', 'copy' y 'copy2' son un mismo modelo (sha256 de los pesos abababababab); 'ft' y 'ft2' son un mismo modelo",
            "para comparar dos modelos, pase dos distintos",
        ])
    }
    /// Copies of one draw per prompt (greedy decoding) are said on standard error too, in the language of --lang (a
    /// student's review: only the report's header said it).
    func testTheGreedyNoteInBothLanguages() throws {
        var result = try ReportFixture.result()
        XCTAssertNil(TerminalNotes.greedy(result, language: .en))
        result.promptSets[0].contrasts[0].difference.method = MetricEstimate.copiesMethod
        let english = try XCTUnwrap(TerminalNotes.greedy(result, language: .en))
        XCTAssertTrue(english.hasPrefix("Every sample of a prompt came out as the same text"), english)
        try assertSpanish(TerminalNotes.greedy(result, language: .es), contains: [
            "Todas las muestras de un prompt salieron con el mismo texto",
        ])
    }
}
