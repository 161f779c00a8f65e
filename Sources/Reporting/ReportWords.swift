import AuditResults

/// The language of a report's fixed text (`--lang en|es`).
public enum ReportLanguage: String, CaseIterable, Sendable {
    /// English (the default).
    case en
    /// Spanish: Spanish fixed text, decimal comma, `lang="es"`, templates from `es/`.
    case es

    /// The fixed text and number conventions of this language.
    var words: ReportWords {
        switch self {
        case .en: .english
        case .es: .spanish
        }
    }

    /// The folder of this language's templates inside a template folder: none for English (the
    /// top level, as before), `es/` for Spanish.
    public var templatePrefix: String {
        switch self {
        case .en: ""
        case .es: "es/"
        }
    }

    /// Parses `--lang`.
    /// - Throws: ``AuditResults/AuditError/usage(_:)`` naming the accepted languages.
    public static func parse(_ text: String) throws -> ReportLanguage {
        guard let language = ReportLanguage(rawValue: text.lowercased()) else {
            throw AuditError.usage("unknown report language '\(text)' in --lang; use en or es")
        }
        return language
    }
}

/// Every fixed text the view-model builders put into a report, in one language, with its number
/// style. The templates carry the page's prose (one template folder per language); the builders
/// carry the text that is made of numbers and names (sentences, captions, table cells), from here.
///
/// Texts never contain untrusted input: the parameters are already escaped by the caller.
struct ReportWords: Sendable {
    /// The language's code, for the `lang` attribute.
    let code: String
    /// How numbers are written.
    let numbers: NumberStyle

    // MARK: Metrics

    /// A metric's column heading: "mean sentiment".
    let metricTitle: @Sendable (AuditMetric) -> String
    /// A forest plot's x-axis label.
    let axisLabel: @Sendable (AuditMetric) -> String
    /// What a finding says about group A compared with group B, by the sign of A − B.
    let findingPhrase: @Sendable (AuditMetric, Bool) -> String
    /// An interval at a level, in sentences: "95% CI", "IC del 95 %".
    let ciLabel: @Sendable (_ level: String) -> String
    /// What an interval that could not be computed prints as, inside brackets: "no CI".
    let noInterval: String
    /// An estimate's reason for having no interval (as the analysis wrote it, in English) in this language.
    let insufficient: @Sendable (String) -> String

    // MARK: Summary

    /// The headline when nothing was tested.
    let noTestedContrasts: String
    /// The headline when no contrast is a finding.
    let noFindings: @Sendable (_ tested: String, _ threshold: String) -> String
    /// The headline above the findings.
    let findingsHeadline: @Sendable (_ findings: Int, _ tested: String, _ pairs: Int, _ threshold: String) -> String
    /// "…and 3 more pairs of groups with findings in the prompt-set sections."
    let moreFindings: @Sendable (Int) -> String
    /// "under gpt2".
    let underModel: @Sendable (String) -> String
    /// "a, b and c".
    let list: @Sendable ([String]) -> String
    /// "For “A” compared with “B” (set): clause; clause."
    let findingSentence: @Sendable (_ a: String, _ b: String, _ set: String, _ clauses: [String]) -> String

    // MARK: At a glance and header

    /// The at-a-glance table's caption.
    let glanceCaption: String
    /// What the at-a-glance table shows.
    let glanceNote: @Sendable (_ level: String) -> String
    /// Marks a finding in the at-a-glance table: "finding".
    let findingMarker: String
    /// "Verdict: gpt2 against distilgpt2".
    let verdictHeader: @Sendable (_ b: String, _ a: String) -> String
    /// One injected bias: "“ terrible” +8 logits on Female-dominated occupations (occupations-gender)".
    let injectedBias: @Sendable (_ token: String, _ logit: String, _ group: String, _ sets: String) -> String

    // MARK: Contrast tables

    /// Cohen's label of an effect size's magnitude (negligible, small, medium, large).
    let effectLabel: @Sendable (Double) -> String
    /// A contrast's "finding" cell: yes.
    let findingYes: String
    /// A tested contrast that is not a finding: no.
    let findingNo: String
    /// A descriptive metric's contrast (never tested).
    let descriptive: String
    /// A contrast below its minimum support (no test).
    let insufficientShort: String
    /// The contrast table's caption.
    let contrastCaption: @Sendable (_ set: String, _ level: String) -> String
    /// The note under the contrast table: the families and how p and q were computed.
    let familyNote: @Sendable (_ families: [(model: String, tests: Int)], _ set: String, _ threshold: String) -> String
    /// The estimate table's caption.
    let estimateCaption: @Sendable (_ set: String, _ level: String) -> String
    /// A forest plot's title.
    let chartTitle: @Sendable (_ set: String, _ metric: String) -> String
    /// A forest plot's description.
    let chartDescription: @Sendable (_ level: String, _ axis: String) -> String
    /// The text of a model without an estimate in a forest plot.
    let noEstimate: String
    /// An example's kind: "most negative", "most positive".
    let exampleKind: @Sendable (String) -> String
    /// An empty continuation.
    let empty: String

    // MARK: Model comparison

    /// A verdict in words.
    let verdict: @Sendable (ComparisonVerdict) -> String
    /// Added to a verdict when the favoured group swapped.
    let directionReversed: String
    /// The comparison table's caption.
    let comparisonCaption: @Sendable (_ set: String, _ a: String, _ b: String, _ level: String) -> String
    /// One sentence per prompt set about the verdicts.
    let comparisonSentence: @Sendable (
        _ set: String, _ a: String, _ b: String, _ counts: [(ComparisonVerdict, Int)], _ reversed: Int, _ total: Int
    ) -> String

    // MARK: What was audited

    /// "Bias audit: "
    let titlePrefix: String
    /// " vs "
    let versus: String
    /// "no models"
    let noModels: String
    /// "6 layers · 12 heads · 768 wide"
    let architecture: @Sendable (_ layers: Int, _ heads: Int, _ width: Int) -> String
    /// "1,320 completions scored (distilgpt2 660 · gpt2 660)"
    let completions: @Sendable (_ total: String, _ parts: [String]) -> String
    /// Names of the sampling, statistics and timing rows.
    let setting: @Sendable (Setting) -> String
    /// "off"
    let off: String
    /// "each set's own (see the prompt-set table)"
    let eachSetsOwn: String
    /// "Benjamini–Hochberg within each family: …"
    let familyValue: @Sendable (String) -> String
    /// How the intervals were computed, for the statistics table.
    let intervalsValue: String
    /// How the tests were computed, for the statistics table.
    let testsValue: String

    /// The rows of the settings tables.
    enum Setting {
        case samples, maxNewTokens, temperature, topK, topP, seed
        case confidence, power, minimumGenderedWords, falseDiscoveryRate, family, negativeThreshold, positiveThreshold
        case intervals, tests
        case started, finished, wallTime, generation, statistics
    }
}

extension ReportWords {
    /// English.
    static let english = ReportWords(
        code: "en", numbers: .english,
        metricTitle: { metric in
            switch metric {
            case .sentiment: "mean sentiment"
            case .negativeRate: "% negative"
            case .positiveRate: "% positive"
            case .maleShare: "male share"
            case .genderedRate: "% gendered"
            case .lexiconCoverage: "lexicon coverage"
            case .heSheLogOdds: "log P(he)/P(she)"
            }
        },
        axisLabel: { metric in
            switch metric {
            case .sentiment: "mean VADER compound (−1 negative … +1 positive)"
            case .negativeRate: "% of completions scored negative"
            case .positiveRate: "% of completions scored positive"
            case .maleShare: "% male among gendered words (50% = balanced)"
            case .genderedRate: "% of completions with a gendered word"
            case .lexiconCoverage: "% of completions with a sentiment word"
            case .heSheLogOdds: "log P(he) − log P(she) (0 = balanced, > 0 favours he)"
            }
        },
        findingPhrase: { metric, positive in
            switch metric {
            case .sentiment: positive ? "more positive completions" : "more negative completions"
            case .negativeRate: positive ? "more completions scored negative" : "fewer completions scored negative"
            case .positiveRate: positive ? "more completions scored positive" : "fewer completions scored positive"
            case .maleShare: positive ? "a larger share of male words" : "a smaller share of male words"
            case .genderedRate: positive ? "more completions with gendered words" : "fewer completions with gendered words"
            case .lexiconCoverage:
                positive ? "more completions with sentiment words" : "fewer completions with sentiment words"
            case .heSheLogOdds:
                positive ? "“he” more likely relative to “she” as the next word"
                    : "“he” less likely relative to “she” as the next word"
            }
        },
        ciLabel: { "\($0) CI" }, noInterval: "no CI", insufficient: { $0 },
        noTestedContrasts: "This run has no tested group contrasts (no primary metric with enough data), so there is "
            + "nothing to summarise.",
        noFindings: { tested, threshold in
            "None of the \(tested) tested group contrasts is a finding (q < \(threshold) within its family: one prompt "
                + "set under one model). This is not evidence that the models are unbiased: each contrast’s minimum "
                + "detectable effect, in the prompt-set sections, says how large a difference this audit could miss."
        },
        findingsHeadline: { findings, tested, pairs, threshold in
            "\(findings) of the \(tested) tested group contrasts \(findings == 1 ? "is a finding" : "are findings") "
                + "(q < \(threshold) within each family: one prompt set under one model), in \(pairs) "
                + (pairs == 1 ? "pair" : "pairs") + " of groups; strongest evidence first:"
        },
        moreFindings: { "…and \($0) more " + ($0 == 1 ? "pair" : "pairs") + " of groups with findings in the prompt-set sections." },
        underModel: { "under \($0)" },
        list: { items in
            items.count <= 2 ? items.joined(separator: " and ")
                : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        },
        findingSentence: { a, b, set, clauses in
            "For “\(a)” compared with “\(b)” (\(set)): " + clauses.joined(separator: "; ") + "."
        },
        glanceCaption: "At a glance: the primary metrics under each model",
        glanceNote: { level in
            "Each primary metric’s group difference (A − B) under each model with its \(level) CI and q, and the "
                + "verdict between the models. Findings are marked; the prompt-set sections below have the details."
        },
        findingMarker: "finding",
        verdictHeader: { b, a in "Verdict: \(b) against \(a)" },
        injectedBias: { token, logit, group, sets in
            "“\(token)” \(logit) logits on every completion of \(group)" + (sets.isEmpty ? "" : " (\(sets))")
        },
        effectLabel: { size in
            let magnitude = abs(size)
            return magnitude < 0.2 ? "negligible" : magnitude < 0.5 ? "small" : magnitude < 0.8 ? "medium" : "large"
        },
        findingYes: "yes", findingNo: "no", descriptive: "descriptive", insufficientShort: "insufficient data",
        contrastCaption: { set, level in
            "\(set): group differences (A − B) with \(level) CIs, the smallest difference the design detects (MDE), "
                + "p, q within the family and effect size"
        },
        familyNote: { families, set, threshold in
            let parts = families.map { "\(set) under \($0.model) (\($0.tests) \($0.tests == 1 ? "test" : "tests"))" }
            return "p: two-sided Welch-type t test over terms and shared random streams (Satterthwaite df). q: "
                + "Benjamini–Hochberg within each family of this set’s primary metrics under one model: "
                + parts.joined(separator: ", ") + ". A finding has q < \(threshold). % positive, % gendered and lexicon "
                + "coverage are descriptive: not tested, never findings. MDE: the smallest |A − B| detected with 80% "
                + "power at α = 0.05. Effect sizes: Cohen’s d on completion-level scores, Cohen’s h for rates; the "
                + "conventional labels (0.2 small, 0.5 medium, 0.8 large) are not given for the next-token log-odds."
        },
        estimateCaption: { set, level in
            "\(set): estimates per group and model, \(level) CIs in brackets (percentages for rates); n = completions scored"
        },
        chartTitle: { set, metric in "\(set): \(metric) by group" },
        chartDescription: { level, axis in
            "For each group, one dot per model at its estimate and a whisker for its \(level) confidence interval. Axis: \(axis)."
        },
        noEstimate: "no estimate",
        exampleKind: { $0.replacingOccurrences(of: "_", with: " ") },
        empty: "(empty)",
        verdict: { $0.words },
        directionReversed: "direction reversed",
        comparisonCaption: { set, a, b, level in
            "\(set): each contrast under \(a) and \(b) with its \(level) CI, the change (\(b) − \(a)) with its "
                + "\(level) CI, q over the comparison, and the verdict for \(b) against \(a)"
        },
        comparisonSentence: { set, a, b, counts, reversed, total in
            let parts = counts.map { "\($0.0.words) in \($0.1)" }
            let flipped = reversed == 0 ? "" : "; direction reversed in \(reversed)"
            return "\(set): \(b) against \(a), " + parts.joined(separator: ", ") + " of \(total) "
                + (total == 1 ? "contrast" : "contrasts") + flipped + "."
        },
        titlePrefix: "Bias audit: ", versus: " vs ", noModels: "no models",
        architecture: { "\($0) layers · \($1) heads · \($2) wide" },
        completions: { total, parts in "\(total) completions scored (" + parts.joined(separator: " · ") + ")" },
        setting: { setting in
            switch setting {
            case .samples: "Samples per prompt"
            case .maxNewTokens: "Max new tokens"
            case .temperature: "Temperature"
            case .topK: "Top-k"
            case .topP: "Top-p"
            case .seed: "Seed"
            case .confidence: "Confidence level"
            case .power: "Power for the minimum detectable effect"
            case .minimumGenderedWords: "Minimum gendered words per group (male share)"
            case .falseDiscoveryRate: "False discovery rate of findings and verdicts"
            case .family: "Multiple comparisons"
            case .negativeThreshold: "Negative if compound ≤"
            case .positiveThreshold: "Positive if compound ≥"
            case .intervals: "Intervals"
            case .tests: "Tests"
            case .started: "Started"
            case .finished: "Finished"
            case .wallTime: "Wall time"
            case .generation: "Generation"
            case .statistics: "Statistics"
            }
        },
        off: "off", eachSetsOwn: "each set’s own (see the prompt-set table)",
        familyValue: { "Benjamini–Hochberg within each family: \($0)" },
        intervalsValue: "t over crossed term × random-stream clusters (Satterthwaite df); Wilson for rates and shares",
        testsValue: "Welch-type t tests of group contrasts; model verdicts by an intersection–union test of both "
            + "models’ uncertainty, Benjamini–Hochberg over each model comparison")
}

extension ReportWords {
    /// Spanish (decimal comma; RAE's spacing of `%` and of digit groups).
    static let spanish = ReportWords(
        code: "es", numbers: .spanish,
        metricTitle: { metric in
            switch metric {
            case .sentiment: "sentimiento medio"
            case .negativeRate: "% negativas"
            case .positiveRate: "% positivas"
            case .maleShare: "proporción masculina"
            case .genderedRate: "% con género"
            case .lexiconCoverage: "cobertura del léxico"
            case .heSheLogOdds: "log P(he)/P(she)"
            }
        },
        axisLabel: { metric in
            switch metric {
            case .sentiment: "compound de VADER medio (−1 negativo … +1 positivo)"
            case .negativeRate: "% de continuaciones negativas"
            case .positiveRate: "% de continuaciones positivas"
            case .maleShare: "% de palabras masculinas entre las de género (50 % = equilibrio)"
            case .genderedRate: "% de continuaciones con una palabra de género"
            case .lexiconCoverage: "% de continuaciones con una palabra de sentimiento"
            case .heSheLogOdds: "log P(he) − log P(she) (0 = equilibrio, > 0 favorece he)"
            }
        },
        findingPhrase: { metric, positive in
            switch metric {
            case .sentiment: positive ? "continuaciones más positivas" : "continuaciones más negativas"
            case .negativeRate: positive ? "más continuaciones negativas" : "menos continuaciones negativas"
            case .positiveRate: positive ? "más continuaciones positivas" : "menos continuaciones positivas"
            case .maleShare:
                positive ? "una mayor proporción de palabras masculinas" : "una menor proporción de palabras masculinas"
            case .genderedRate:
                positive ? "más continuaciones con palabras de género" : "menos continuaciones con palabras de género"
            case .lexiconCoverage:
                positive ? "más continuaciones con palabras de sentimiento" : "menos continuaciones con palabras de sentimiento"
            case .heSheLogOdds:
                positive ? "“he” más probable frente a “she” como palabra siguiente"
                    : "“he” menos probable frente a “she” como palabra siguiente"
            }
        },
        ciLabel: { "IC del \($0)" }, noInterval: "sin IC", insufficient: spanishInsufficient,
        noTestedContrasts: "Esta ejecución no tiene contrastes entre grupos con prueba (ninguna métrica principal con datos "
            + "suficientes), así que no hay nada que resumir.",
        noFindings: { tested, threshold in
            "Ninguno de los \(tested) contrastes entre grupos probados es un hallazgo (q < \(threshold) dentro de su "
                + "familia: un conjunto de prompts con un modelo). Esto no prueba que los modelos no tengan sesgo: el efecto "
                + "mínimo detectable de cada contraste, en las secciones de los conjuntos, dice qué diferencia podría pasar "
                + "inadvertida."
        },
        findingsHeadline: { findings, tested, pairs, threshold in
            "\(findings) de los \(tested) contrastes entre grupos probados "
                + (findings == 1 ? "es un hallazgo" : "son hallazgos")
                + " (q < \(threshold) dentro de cada familia: un conjunto de prompts con un modelo), en \(pairs) "
                + (pairs == 1 ? "par" : "pares") + " de grupos; primero la evidencia más fuerte:"
        },
        moreFindings: { "…y \($0) " + ($0 == 1 ? "par" : "pares") + " de grupos más con hallazgos en las secciones de los conjuntos." },
        underModel: { "con \($0)" },
        list: { items in
            items.count <= 2 ? items.joined(separator: " y ")
                : items.dropLast().joined(separator: ", ") + " y " + items[items.count - 1]
        },
        findingSentence: { a, b, set, clauses in
            "Para “\(a)” frente a “\(b)” (\(set)): " + clauses.joined(separator: "; ") + "."
        },
        glanceCaption: "De un vistazo: las métricas principales con cada modelo",
        glanceNote: { level in
            "La diferencia entre grupos (A − B) de cada métrica principal con cada modelo, con su IC del \(level) y q, y el "
                + "veredicto entre los modelos. Los hallazgos están marcados; las secciones de abajo tienen los detalles."
        },
        findingMarker: "hallazgo",
        verdictHeader: { b, a in "Veredicto: \(b) frente a \(a)" },
        injectedBias: { token, logit, group, sets in
            "“\(token)” \(logit) logits en cada continuación de \(group)" + (sets.isEmpty ? "" : " (\(sets))")
        },
        effectLabel: { size in
            let magnitude = abs(size)
            return magnitude < 0.2 ? "insignificante" : magnitude < 0.5 ? "pequeño" : magnitude < 0.8 ? "mediano" : "grande"
        },
        findingYes: "sí", findingNo: "no", descriptive: "descriptiva", insufficientShort: "datos insuficientes",
        contrastCaption: { set, level in
            "\(set): diferencias entre grupos (A − B) con IC del \(level), la menor diferencia que el diseño detecta "
                + "(EMD), p, q dentro de la familia y tamaño del efecto"
        },
        familyNote: { families, set, threshold in
            let parts = families.map { "\(set) con \($0.model) (\($0.tests) \($0.tests == 1 ? "prueba" : "pruebas"))" }
            return "p: prueba t bilateral de tipo Welch sobre términos y flujos aleatorios compartidos (gl de Satterthwaite). "
                + "q: Benjamini–Hochberg dentro de cada familia de las métricas principales de este conjunto con un modelo: "
                + parts.joined(separator: ", ") + ". Un hallazgo tiene q < \(threshold). % positivas, % con género y "
                + "cobertura del léxico son descriptivas: sin prueba, nunca hallazgos. EMD: el menor |A − B| que se detecta "
                + "con una potencia del 80 % a α = 0,05. Tamaños del efecto: d de Cohen sobre las puntuaciones de cada "
                + "continuación, h de Cohen para las tasas; las etiquetas convencionales (0,2 pequeño, 0,5 mediano, 0,8 "
                + "grande) no se dan para las log-odds del token siguiente."
        },
        estimateCaption: { set, level in
            "\(set): estimaciones por grupo y modelo, IC del \(level) entre corchetes (porcentajes para las tasas); "
                + "n = continuaciones puntuadas"
        },
        chartTitle: { set, metric in "\(set): \(metric) por grupo" },
        chartDescription: { level, axis in
            "Para cada grupo, un punto por modelo en su estimación y un bigote para su intervalo de confianza del \(level). "
                + "Eje: \(axis)."
        },
        noEstimate: "sin estimación",
        exampleKind: { kind in
            switch kind {
            case "most_negative": "la más negativa"
            case "most_positive": "la más positiva"
            case "typical": "típica"
            default: kind.replacingOccurrences(of: "_", with: " ")
            }
        },
        empty: "(vacía)",
        verdict: { verdict in
            switch verdict {
            case .moreBiased: "más sesgado"
            case .lessBiased: "menos sesgado"
            case .noDetectableChange: "sin cambio detectable"
            case .undetermined: "indeterminado"
            case .insufficientData: "datos insuficientes"
            }
        },
        directionReversed: "dirección invertida",
        comparisonCaption: { set, a, b, level in
            "\(set): cada contraste con \(a) y con \(b) con su IC del \(level), el cambio (\(b) − \(a)) con su IC del "
                + "\(level), q sobre la comparación y el veredicto de \(b) frente a \(a)"
        },
        comparisonSentence: { set, a, b, counts, reversed, total in
            let names: [ComparisonVerdict: String] = [
                .moreBiased: "más sesgado", .lessBiased: "menos sesgado", .noDetectableChange: "sin cambio detectable",
                .undetermined: "indeterminado", .insufficientData: "datos insuficientes",
            ]
            let parts = counts.map { "\(names[$0.0] ?? $0.0.rawValue) en \($0.1)" }
            let flipped = reversed == 0 ? "" : "; dirección invertida en \(reversed)"
            return "\(set): \(b) frente a \(a), " + parts.joined(separator: ", ") + " de \(total) "
                + (total == 1 ? "contraste" : "contrastes") + flipped + "."
        },
        titlePrefix: "Auditoría de sesgo: ", versus: " frente a ", noModels: "sin modelos",
        architecture: { "\($0) capas · \($1) cabezas · ancho \($2)" },
        completions: { total, parts in "\(total) continuaciones puntuadas (" + parts.joined(separator: " · ") + ")" },
        setting: { setting in
            switch setting {
            case .samples: "Muestras por prompt"
            case .maxNewTokens: "Máximo de tokens nuevos"
            case .temperature: "Temperatura"
            case .topK: "Top-k"
            case .topP: "Top-p"
            case .seed: "Semilla"
            case .confidence: "Nivel de confianza"
            case .power: "Potencia para el efecto mínimo detectable"
            case .minimumGenderedWords: "Mínimo de palabras de género por grupo (proporción masculina)"
            case .falseDiscoveryRate: "Tasa de falsos descubrimientos de hallazgos y veredictos"
            case .family: "Comparaciones múltiples"
            case .negativeThreshold: "Negativa si compound ≤"
            case .positiveThreshold: "Positiva si compound ≥"
            case .intervals: "Intervalos"
            case .tests: "Pruebas"
            case .started: "Inicio"
            case .finished: "Fin"
            case .wallTime: "Duración total"
            case .generation: "Generación"
            case .statistics: "Estadística"
            }
        },
        off: "desactivado", eachSetsOwn: "la de cada conjunto (ver la tabla de conjuntos)",
        familyValue: { family in
            "Benjamini–Hochberg dentro de cada familia: "
                + (family.hasPrefix("each prompt set × model")
                    ? "cada conjunto de prompts × modelo, sobre los contrastes de sus métricas principales" : family)
        },
        intervalsValue: "t sobre clústeres cruzados término × flujo aleatorio (gl de Satterthwaite); Wilson para tasas y "
            + "proporciones",
        testsValue: "pruebas t de tipo Welch para los contrastes entre grupos; veredictos entre modelos por una prueba de "
            + "intersección–unión de la incertidumbre de ambos modelos, Benjamini–Hochberg en cada comparación")

    /// The analysis's English reason for missing support, in Spanish ("too few gendered words (3 in a group,
    /// below the minimum of 20)" → "muy pocas palabras de género (3 en un grupo, por debajo del mínimo de 20)");
    /// a reason of another shape is kept after "datos insuficientes:".
    static func spanishInsufficient(_ reason: String) -> String {
        let pattern = #"^(too few gendered words|too little data) \((\d+) in a group, below the minimum of (\d+)\)$"#
        guard let match = reason.range(of: pattern, options: .regularExpression) else {
            return "datos insuficientes: " + reason
        }
        let text = String(reason[match])
        let numbers = text.split { !$0.isNumber }.map(String.init)
        let what = text.hasPrefix("too few gendered words") ? "muy pocas palabras de género" : "datos insuficientes"
        guard numbers.count == 2 else { return "datos insuficientes: " + reason }
        return "\(what) (\(numbers[0]) en un grupo, por debajo del mínimo de \(numbers[1]))"
    }
}
