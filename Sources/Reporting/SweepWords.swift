import AuditResults

/// The fixed text of the sampling-sweep section (`run --sweep`) in one language. Parameters are
/// already escaped or are numbers biasaudit formatted.
struct SweepWords: Sendable {
    /// A swept parameter's name: "temperature", "top-k", "top-p".
    let parameter: @Sendable (_ name: String) -> String
    /// What top-k 0 and top-p 1 are written as.
    let off: String
    /// Between the values of one swept parameter: a comma in English; a semicolon in Spanish, whose
    /// numbers have a decimal comma ("0,5; 1").
    let valueSeparator: String
    /// The header's value of a swept parameter: its values and the one the main tables use.
    let sweptSetting: @Sendable (_ values: String, _ base: String) -> String
    /// The paragraph under the section heading; `charts`: whether the report draws charts (HTML), or gives the tables
    /// alone (Markdown: a teacher's review, the Markdown intro described charts it did not have).
    let intro: @Sendable (_ settings: String, _ count: String, _ base: String, _ level: String, _ charts: Bool) -> String
    /// A chart's title: set, metric, and the other swept parameters' values (empty when none).
    let chartTitle: @Sendable (_ set: String, _ metric: String, _ fixed: String) -> String
    /// A chart's description for screen readers.
    let chartDescription: @Sendable (_ level: String, _ metric: String, _ parameter: String) -> String
    /// The data table's caption.
    let tableCaption: @Sendable (_ title: String, _ level: String) -> String
    /// The section's text when a results file's sweep is beyond what a report draws.
    let tooLarge: @Sendable (_ settings: String, _ levels: String, _ maxSettings: String, _ maxLevels: String) -> String
    /// After the column heading of the setting the rest of the report describes (a teacher's review: the Markdown tables'
    /// columns are in ascending order, the main tables' setting unmarked).
    let mainTablesMark: String
    /// The table's first two column headings.
    let model: String
    let group: String
    /// The paragraph `run --sweep` prints after its terminal summary: the settings, their count, and the
    /// base setting the summary describes. Parameter names there are `--sweep`'s own (`top_k`).
    let terminalNote: @Sendable (_ settings: String, _ count: String, _ base: String) -> String
    /// A parameter's name in ``terminalNote``: `--sweep`'s name, translated only where it is a word.
    let terminalParameter: @Sendable (_ name: String) -> String

    /// English.
    static let english = SweepWords(
        parameter: { name in
            switch name {
            case "top_k": "top-k"
            case "top_p": "top-p"
            default: name
            }
        },
        off: "off",
        valueSeparator: ", ",
        sweptSetting: { values, base in "\(values) (swept; the main tables use \(base))" },
        intro: { settings, count, base, level, charts in
            "The same prompts audited at \(count) sampling settings (\(settings)), with the same seed and random "
                + "streams at every setting (common random numbers: the settings are compared on paired draws), "
                + "as Dhamala et al. (2022) studied decoding and fairness. "
                + (charts ? "Each chart shows a primary bias metric against the setting, one line per model and group, "
                    + "with \(level) confidence intervals; the table beside it gives the numbers."
                    : "Each table gives a primary bias metric at each setting, one row per model and group, with "
                        + "\(level) confidence intervals (the HTML report draws each table as a chart).")
                + " This section is descriptive: each setting is analysed "
                + "as the main sections are, with no tests across settings and no findings. The rest of the "
                + "report describes the first setting (\(base)). The next-token log-odds is not shown: it is "
                + "computed before temperature, top-k and top-p and is the same at every setting."
        },
        chartTitle: { set, metric, fixed in
            "\(set): \(metric) by setting" + (fixed.isEmpty ? "" : " (\(fixed))")
        },
        chartDescription: { level, metric, parameter in
            "Line chart of \(metric) against \(parameter): one line per model and group, markers at the "
                + "estimates, vertical bars for their \(level) confidence intervals."
        },
        tableCaption: { title, level in "\(title): estimates with \(level) CIs" },
        tooLarge: { settings, levels, maxSettings, maxLevels in
            "This results file's sweep (\(settings) settings, \(levels) estimates) is larger than a report draws "
                + "(at most \(maxSettings) settings and \(maxLevels) estimates); its numbers are in results.json."
        },
        mainTablesMark: "(main tables)",
        model: "Model",
        group: "Group",
        terminalNote: { settings, count, base in
            "Sweep: \(count) settings (\(settings)). The summary above is the first setting's (\(base)); every "
                + "setting's estimates with intervals are in the report's sampling-sweep section and in results.json "
                + "(\"sweep\")."
        },
        terminalParameter: { $0 })

    /// Spanish.
    static let spanish = SweepWords(
        parameter: { name in
            switch name {
            case "temperature": "temperatura"
            case "top_k": "top-k"
            case "top_p": "top-p"
            default: name
            }
        },
        off: "desactivado",
        valueSeparator: "; ",
        sweptSetting: { values, base in "\(values) (barrido; las tablas principales usan \(base))" },
        intro: { settings, count, base, level, charts in
            "Los mismos prompts auditados con \(count) configuraciones de muestreo (\(settings)), con la misma "
                + "semilla y los mismos flujos aleatorios en cada configuración (números aleatorios comunes: las "
                + "configuraciones se comparan sobre extracciones emparejadas), siguiendo a Dhamala et al. (2022), "
                + "que estudiaron la decodificación y la equidad. "
                + (charts ? "Cada gráfico muestra una métrica principal de sesgo frente a la configuración, una línea por "
                    + "modelo y grupo, con intervalos de confianza del \(level); la tabla junto a él da los números."
                    : "Cada tabla da una métrica principal de sesgo en cada configuración, una fila por modelo y grupo, con "
                        + "intervalos de confianza del \(level) (el informe HTML dibuja cada tabla como un gráfico).")
                + " Esta sección es descriptiva: cada configuración "
                + "se analiza como las secciones principales, sin pruebas entre configuraciones ni hallazgos. El "
                + "resto del informe describe la primera configuración (\(base)). Las log-odds del token siguiente "
                + "no se muestran: se calculan antes de la temperatura, top-k y top-p y son las mismas en cada "
                + "configuración."
        },
        chartTitle: { set, metric, fixed in
            "\(set): \(metric) por configuración" + (fixed.isEmpty ? "" : " (\(fixed))")
        },
        chartDescription: { level, metric, parameter in
            // With its article (a teaching assistant's review: "frente a temperatura"): la temperatura, el top-k.
            "Gráfico de líneas de \(metric) frente \(parameter == "temperatura" ? "a la" : "al") \(parameter): una línea por modelo y grupo, marcadores en "
                + "las estimaciones y barras verticales para sus intervalos de confianza del \(level)."
        },
        tableCaption: { title, level in "\(title): estimaciones con IC del \(level)" },
        tooLarge: { settings, levels, maxSettings, maxLevels in
            "El barrido de este archivo de resultados (\(settings) configuraciones, \(levels) estimaciones) es mayor "
                + "de lo que un informe dibuja (como máximo \(maxSettings) configuraciones y \(maxLevels) "
                + "estimaciones); sus números están en results.json."
        },
        mainTablesMark: "(tablas principales)",
        model: "Modelo",
        group: "Grupo",
        terminalNote: { settings, count, base in
            "Barrido: \(count) configuraciones (\(settings)). El resumen de arriba es el de la primera configuración "
                + "(\(base)); las estimaciones de cada configuración, con sus intervalos, están en la sección del "
                + "barrido de muestreo del informe y en results.json (\"sweep\")."
        },
        terminalParameter: { $0 == "temperature" ? "temperatura" : $0 })

    /// The words of the report language whose code is `code` (`en`, `es`).
    static func forCode(_ code: String) -> SweepWords {
        code == "es" ? .spanish : .english
    }
}
