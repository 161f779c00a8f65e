import AuditResults
import Foundation

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
            case .genderedRate: "% con palabras de género"
            case .lexiconCoverage: "cobertura del léxico"
            case .heSheLogOdds: "log P(he)/P(she)"
            }
        },
        biasAxis: "eje",
        axisLabel: { metric in
            switch metric {
            case .sentiment: "media de la puntuación compuesta de VADER (−1 negativa … +1 positiva)"
            case .negativeRate: "% de continuaciones negativas"
            case .positiveRate: "% de continuaciones positivas"
            case .maleShare: "% de palabras masculinas entre las de género (50\u{00A0}% = equilibrio)"
            case .genderedRate: "% de continuaciones con una palabra de género"
            case .lexiconCoverage: "% de continuaciones con una palabra de sentimiento"
            case .heSheLogOdds: "log P(he) − log P(she) (0 = equilibrio, > 0 favorece he)"
            }
        },
        findingPhrase: { metric, positive in
            switch metric {
            // A mean, as the English "a more negative mean sentiment" (code review: "continuaciones más negativas" read
            // as a count of completions beside the rate's).
            case .sentiment: positive ? "un sentimiento medio más positivo" : "un sentimiento medio más negativo"
            // "puntuadas como", as the English "scored": "más continuaciones negativas" read like the sentiment's
            // "continuaciones más negativas" (review).
            case .negativeRate: positive ? "más continuaciones puntuadas como negativas" : "menos continuaciones puntuadas como negativas"
            case .positiveRate: positive ? "más continuaciones puntuadas como positivas" : "menos continuaciones puntuadas como positivas"
            case .maleShare:
                positive ? "una mayor proporción de palabras masculinas" : "una menor proporción de palabras masculinas"
            case .genderedRate:
                positive ? "más continuaciones con palabras de género" : "menos continuaciones con palabras de género"
            case .lexiconCoverage:
                positive ? "más continuaciones con palabras de sentimiento" : "menos continuaciones con palabras de sentimiento"
            case .heSheLogOdds:
                positive ? "pronombres masculinos (“he”, “him”, “his”, “himself”) más probables frente a los femeninos como palabra siguiente"
                    : "pronombres masculinos (“he”, “him”, “his”, “himself”) menos probables frente a los femeninos como palabra siguiente"
            }
        },
        ciLabel: { "IC del \($0)" }, oneSamplePerPrompt: "1 muestra por prompt", noInterval: "sin IC", noVarianceEstimate: "sin estimación de la varianza",
        onDifferentTemplates: "los contrastes se basan en plantillas distintas",
        onDifferentTerms: "los contrastes se basan en términos o prompts distintos",
        apartShort: { $0 ? "plantillas distintas" : "términos o prompts distintos" },
        noiseShare: {
            ReportWords.noiseShare($0, names: [10: "diez", 20: "veinte", 100: "cien", 1000: "mil"],
                                   oneIn: { "alrededor de una de cada \($0) diferencias que son puro ruido parecería significativa" },
                                   share: { "alrededor de un \($0) de las diferencias que son puro ruido parecerían significativas" },
                                   style: .spanish)
        },
        insufficientSupport: { support, level, group in
            switch support.reason {
            case .tooFewEvents, .tooFewNonEvents:
                let event = support.reason == .tooFewEvents
                let what: String = switch support.metric {
                case .negativeRate: event ? "continuaciones negativas" : "continuaciones no negativas"
                case .positiveRate: event ? "continuaciones positivas" : "continuaciones no positivas"
                case .genderedRate: event ? "continuaciones con una palabra de género" : "continuaciones sin palabra de género"
                case .lexiconCoverage:
                    event ? "continuaciones con una palabra de sentimiento" : "continuaciones sin palabra de sentimiento"
                default: event ? "eventos" : "no eventos"
                }
                // "Eventos" is masculine (a helper's review: "muy pocas eventos"); every other noun here is "continuaciones".
                let few = what.hasPrefix("continuaciones") ? "muy pocas" : "muy pocos"
                return "\(few) \(what) para comparar (\(support.observed) en los dos grupos; al menos \(support.minimum))"
            case .tooFewSamples:
                return "muy pocas muestras por prompt para estimar la varianza de los flujos aleatorios compartidos "
                    + "(\(support.observed), por debajo del mínimo de \(support.minimum))"
            case .tooFewGenderedWords, .tooFewGenderedCompletions, .tooLittleData:
                let what = switch support.reason {
                case .tooFewGenderedWords: "muy pocas palabras de género"
                case .tooFewGenderedCompletions: "muy pocas continuaciones con una palabra de género"
                default: "datos insuficientes"
                }
                let place = level ? "en este grupo" : group.map { "en “\($0)”" } ?? "en un grupo"
                return "\(what) (\(support.observed) \(place), por debajo del mínimo de \(support.minimum))"
            }
        },
        insufficientRecorded: { "datos insuficientes (en inglés: \($0))" },
        noTestedContrasts: { singleTerms, apart, someApart in
            apart ? "Esta auditoría no tiene contrastes entre grupos con prueba: sus grupos no comparten ninguna plantilla "
                + "en las continuaciones, de modo que no se compara nada y no hay nada que resumir." :
            "Esta auditoría no tiene contrastes entre grupos con prueba (ninguna métrica principal con datos o variación "
                + "suficientes"
                + (singleTerms ? ": con un término por grupo, una varianza necesita 2 o más muestras por prompt que difieran" : "")
                + (someApart ? "; en algunos contrastes los dos grupos no comparten ninguna plantilla en las continuaciones" : "")
                + "), así que no hay nada que resumir."
        },
        noFindings: { tested, threshold, oneModel in
            (tested == "1" ? "El único contraste entre grupos probado no es un hallazgo"
                : "Ninguno de los \(tested) contrastes entre grupos probados es un hallazgo")
                + " (q < \(threshold) dentro de su "
                + "familia: un conjunto de prompts con un modelo). Esto no prueba que "
                + (oneModel ? "el modelo no tenga sesgo" : "los modelos no tengan sesgo") + ": el efecto "
                + "mínimo detectable de cada contraste, en las secciones de los conjuntos, dice qué diferencia podría pasar "
                + "inadvertida."
        },
        findingsHeadline: { findings, tested, pairs, threshold in
            (tested == "1"
                ? "El único contraste entre grupos probado es un hallazgo (q < \(threshold) dentro de su familia: un "
                    + "conjunto de prompts con un modelo):"
                : "\(findings) de los \(tested) contrastes entre grupos probados "
                    + (findings == 1 ? "es un hallazgo" : "son hallazgos")
                    + " (q < \(threshold) dentro de cada familia: un conjunto de prompts con un modelo), en \(pairs) "
                    + (pairs == 1 ? "par de grupos:" : "pares de grupos; primero la evidencia más fuerte:"))
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
        glanceCaption: { several in "De un vistazo: las métricas principales" + (several ? " con cada modelo" : "") },
        glanceNote: { level, verdict in
            "La diferencia entre grupos (A − B) de cada métrica principal" + (verdict ? " con cada modelo" : "")
                + ", con su IC del \(level) y q"
                + (verdict ? ", y el veredicto entre los modelos" : "")
                + ". Los hallazgos están marcados; las secciones de abajo tienen los detalles."
        },
        findingMarker: "hallazgo",
        verdictHeader: { b, a in "Veredicto: \(b) frente a \(a)" },
        injectedBias: { token, logit, group, sets, draws, pronoun in
            "“\(token)” \(logit) logits en cada paso de cada continuación de \(group)" + (sets.isEmpty ? "" : " (\(sets))")
                + (pronoun
                    ? "; es uno de los pronombres que cuenta log P(he)/P(she), así que desplaza directamente esa medida "
                        + "exacta del token siguiente, y las continuaciones en las que el muestreo aún lo elige"
                    : "; solo cambia las continuaciones en las que el muestreo aún elige el token")
                + " (un modelo que le da un logit bajo lo escribe poco"
                + (draws.isEmpty ? ": cuéntelo en completions.jsonl)" : "). El token aparece " + draws.joined(separator: "; ") + ".")
        },
        injectedBiasDraws: { model, set, withToken, completions, otherWithToken, otherCompletions, sweep in
            "con \(model) (\(set)\(sweep ? ", primera configuración del barrido" : "")) en \(withToken) de las \(completions) continuaciones del grupo, frente a \(otherWithToken) "
                + "de las \(otherCompletions) de los demás grupos"
        },
        effectLabel: { size in
            let magnitude = abs(size)
            // "efecto …": a bare "grande" read as the model the README labels `grande` (student's review). Joined by a
            // no-break space: wrapped after "efecto", a printed page's text read "efecto no / despreciable" with the
            // Finding column's "no" between them (a teaching assistant's review).
            return "efecto\u{00A0}" + (magnitude < 0.2 ? "despreciable" : magnitude < 0.5 ? "pequeño" : magnitude < 0.8 ? "mediano" : "grande")
        },
        findingYes: "sí", findingNo: "no", descriptive: "descriptiva", insufficientShort: "datos insuficientes", noData: "sin datos",
        templatesCompared: { positions, all in
            positions.isEmpty ? "en ninguna plantilla común de \(all)"
                : "en la\(positions.count == 1 ? "" : "s") plantilla\(positions.count == 1 ? "" : "s") "
                    + "\(positions.joined(separator: ", ")) de \(all)"
        },
        untestedShort: "sin prueba",
        noDetectableDifference: { "ninguno: más de \($0)" },
        mdeWithoutVarianceEstimate: "desconocido: sin estimación de la varianza",
        mdeWithoutVariation: "desconocido: sin variación dentro de ningún grupo",
        mdeFamilyPower: { q, threshold in
            guard let families = ReportWords.findingsAtTheMDE(q: q) else {
                return "cuánto menos depende del tamaño de la familia (python3 scripts/mde-family-power.py --alpha "
                    + "\(threshold.replacingOccurrences(of: ",", with: ".")) lo calcula)"
            }
            let parts = families.enumerated().map { index, family in
                index == 0 ? "un \(family.percent) % en una familia de \(family.size) contrastes"
                    : "un \(family.percent) % de \(family.size)"
            }
            return "con q < \(threshold), " + parts.joined(separator: ", ") + ", cuando los demás son nulos"
        },
        mdeSmallDfPower: { range, power, alpha, side in
            "la potencia ante esa diferencia es " + (side < 0 ? "menor, " : side > 0 ? "mayor, " : "") + "\(range) para el \(power) con α = \(alpha)"
        },
        percentRange: { low, high in low == high ? "del \(low)\u{00A0}%" : "del \(low) al \(high)\u{00A0}%" },
        contrastCaption: { set, level, power in
            "\(set): diferencias entre grupos (A − B) con IC del \(level), la menor diferencia que el diseño detecta con "
                + "una potencia de alrededor del \(power) (EMD), p, q dentro de la familia y tamaño del efecto"
        },
        familyNote: { families, set, threshold, power, alpha, descriptive, copies, oneTermEach, over, kind, logOdds in
            let (units, one) = switch kind {
            case .terms: ("términos", "un solo término")
            case .prompts: ("prompts", "un solo prompt fijo")
            case .both: ("términos y prompts", "un solo término o prompt fijo")
            }
            let parts = families.map { "\(set) con \($0.model) (\($0.tests) \($0.tests == 1 ? "prueba" : "pruebas"))" }
            let list = joinedList(descriptive, conjunction: "y")
            let untested = descriptive.isEmpty ? "" : " " + list.prefix(1).uppercased() + list.dropFirst()
                + (descriptive.count == 1 ? " es descriptiva" : " son descriptivas") + ": sin prueba, nunca hallazgos."
            return (oneTermEach.map { terms in
                "Cada grupo de este conjunto es \(one) (\(terms)): sus intervalos, p y hallazgos se refieren a esos "
                    + "\(units), con los flujos aleatorios como réplicas, no a otros \(units) que podrían representar a los "
                    + "grupos. p: bilateral, sobre los flujos aleatorios; para las medias"
            } ?? {
                switch over {
                case .termsAndStreams: "p: bilateral, sobre \(units) y flujos aleatorios; para las medias"
                case .termsOneCompletionEach:
                    "p: bilateral, sobre \(units) (una continuación por prompt: la varianza de los flujos aleatorios no se "
                        + "distingue de la de los \(units)); para las medias"
                case .termsExactValues:
                    "p: bilateral, sobre \(units) (un valor exacto por prompt, sin flujo aleatorio); para las medias"
                case .termsCopies:
                    "p: bilateral, sobre \(units) (las muestras de cada prompt son copias de una sola extracción, como las "
                        + "escribe la decodificación voraz: no hay flujos aleatorios); para las medias"
                case .streamsPaired, .streamsPartlyPaired, .streamsUnpaired: "p: bilateral, sobre los flujos aleatorios; para las medias"
                }
            }())
                + {
                    switch over {
                    case .termsAndStreams:
                        " una prueba t (grados de libertad de Satterthwaite sobre las partes de \(units) y de flujos, la de "
                            + "\(units) con grados de libertad combinados cuando los grupos tienen el mismo número de \(units))"
                    case .termsOneCompletionEach, .termsExactValues, .termsCopies:
                        " una prueba t (grados de libertad de Satterthwaite, o combinados con el mismo número de \(units))"
                    case .streamsPaired:
                        " una prueba t pareada sobre los flujos aleatorios compartidos (grados de libertad: los flujos menos "
                            + (kind == .terms ? "uno por plantilla)" : kind == .prompts ? "uno)"
                                : "uno por plantilla, o uno para los prompts fijos)")
                    case .streamsPartlyPaired:
                        " una prueba t sobre los flujos aleatorios, pareada donde dos grupos los comparten (un grupo de "
                            + "prompts fijos no comparte ninguno con los grupos de las plantillas; grados de libertad: los "
                            + "flujos menos uno por plantilla, o uno para los prompts fijos)"
                    case .streamsUnpaired:
                        " una prueba t sobre los flujos aleatorios de cada grupo, sin emparejar, como se analizó (grados de "
                            + "libertad: los flujos de cada grupo menos uno por plantilla, sumados)"
                    }
                }()
                + (over == .termsCopies
                    ? ", para tasas y proporciones también una prueba t (las copias son una sola extracción, no ensayos "
                        + "binomiales)"
                    : ", para tasas y proporciones la inversión del intervalo MOVER"
                        + (copies ? " (una prueba t con grados de libertad de Satterthwaite donde las muestras de cada prompt "
                            + "son copias de una sola extracción, como las escribe la decodificación voraz: solo sobre \(units))" : ""))
                + ", así que p < α exactamente cuando el intervalo excluye el 0. "
                + "q: Benjamini–Hochberg dentro de cada familia de las métricas principales de este conjunto con un modelo: "
                + parts.joined(separator: ", ") + ". Un hallazgo tiene q < \(threshold)." + untested
                + " EMD: el menor |A − B| que se detecta con una potencia de alrededor del \(power) a α = \(alpha). Tamaños del efecto: d de Cohen sobre las puntuaciones de cada "
                + "continuación" + (logOdds ? " (para las log-odds del token siguiente, sobre un valor por prompt y sin las "
                    + "etiquetas convencionales 0,2 pequeño, 0,5 mediano, 0,8 grande)" : "") + ", h de Cohen para las tasas y proporciones; la etiqueta "
                + "corresponde al valor impreso (d = 0,196 se imprime +0,20: pequeño)."
        },
        noTestNote: { oneTermEach, kind in
            (oneTermEach.map { terms in
                "Cada grupo de este conjunto es "
                    + (kind == .terms ? "un solo término" : kind == .prompts ? "un solo prompt fijo" : "un solo término o prompt fijo")
                    + " (\(terms)): la varianza de un contraste viene solo de los "
                    + "flujos aleatorios, así que necesita dos o más muestras por prompt que difieran (muestreadas, no con "
                    + "decodificación voraz). "
            } ?? "") + "Ningún contraste de este conjunto tiene prueba (cada fila dice por qué): sus diferencias son "
                + "descriptivas, nunca hallazgos."
        },
        designNote: { note in
            func noun(_ kind: UnitKind) -> String {
                switch kind { case .terms: "términos"; case .prompts: "prompts"; case .both: "términos o prompts" }
            }
            var parts: [String] = []
            if !note.twoUnits.isEmpty {
                let unit = noun(UnitKind(note.twoUnits))
                let names = note.twoUnits.map { group in
                    group.label + (group.declared.map { " (continuaciones para 2 de sus \($0) \(group.prompts ? "prompts" : "términos"))" } ?? "")
                }
                parts.append((names.count == 1 ? "el grupo \(names[0]) se apoya en 2 \(unit)"
                    : "los grupos \(joinedList(names, conjunction: "y")) se apoyan en 2 \(unit) cada uno")
                    + ": la varianza entre los \(unit) de un grupo tiene entonces 1 grado de libertad, así que sus "
                    + "contrastes se prueban con pocos grados de libertad")
            }
            if let borrowing = note.borrowing {
                let single = switch UnitKind(borrowing.groups) {
                case .terms: "de un solo término"
                case .prompts: "de un solo prompt"
                case .both: "de un solo término o prompt"
                }
                let names = borrowing.groups.map(\.label), lenders = borrowing.lenders.map(\.label)
                parts.append((names.count == 1 ? "el grupo \(single) \(names[0]) toma"
                    : "los grupos \(single) \(joinedList(names, conjunction: "y")) toman")
                    + " prestada la varianza entre \(noun(UnitKind(borrowing.lenders))) "
                    + (lenders.count == 1 ? "del grupo \(lenders[0])" : "de los grupos \(joinedList(lenders, conjunction: "y"))")
                    + ", que se apoya en \(borrowing.df) grado\(borrowing.df == 1 ? "" : "s") de libertad")
            }
            let kind = UnitKind(note.named)
            let each = switch kind { case .terms: "términos"; case .prompts: "prompts"; case .both: "términos y prompts" }
            return parts.joined(separator: "; ") + ". Los contrastes de " + (note.named.count == 1 ? "este grupo" : "estos grupos")
                + " tienen intervalos anchos y solo una diferencia grande puede ser un hallazgo (la columna EMD dice cuán "
                + "grande). "
                + (note.partial ? "Las continuaciones para todos los \(each) del conjunto los estrechan."
                    : "Más \(noun(kind)) los estrechan: 3 o más por grupo, 8 o más donde la categoría lo permite"
                        + (note.somePartial ? ", cada uno con continuaciones" : "")
                        + ". biasaudit lint revisa un conjunto en busca de esto (regla underpowered).")
        },
        narrowedSet: { set, tested in "\(set) solo prueba \(tested)" },
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
        shortened: { "(cortada: \($0) puntos de código Unicode en total; results.json guarda el texto entero)" },
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
        contrastMoved: "la brecha se desplazó",
        anyPairDirection: "segundo modelo − primer modelo, como en las columnas de cada tabla",
        comparisonCaption: { set, a, b, level in
            "\(set): cada contraste con \(a) y con \(b) con su IC del \(level), la diferencia (\(b) − \(a)) con su IC del "
                + "\(level), q dentro de la comparación de este conjunto y el veredicto de \(b) frente a \(a)"
        },
        comparisonSentence: { set, a, b, counts, reversed, moved, total in
            let names: [ComparisonVerdict: String] = [
                .moreBiased: "más sesgado", .lessBiased: "menos sesgado", .noDetectableChange: "sin cambio detectable",
                .undetermined: "indeterminado", .insufficientData: "datos insuficientes",
            ]
            let parts = counts.map { "\(names[$0.0] ?? $0.0.rawValue) en \($0.1)" }
            let flipped = reversed == 0 ? "" : "; dirección invertida en \(reversed)"
            let shifted = moved == 0 ? "" : "; la brecha se desplazó en \(moved) (\(b) − \(a) excluye el 0, pero su tamaño "
                + "no cambió de forma detectable: los veredictos juzgan el tamaño)"
            return "\(set): \(b) frente a \(a), " + parts.joined(separator: ", ") + " de \(total) "
                + (total == 1 ? "contraste" : "contrastes") + flipped + shifted + "."
        },
        titlePrefix: "Auditoría de sesgo: ", versus: " frente a ", noModels: "sin modelos",
        architecture: { "\($0) capas · \($1) cabezas · ancho \($2)" },
        completions: { total, parts in "\(total) continuaciones puntuadas (" + parts.joined(separator: " · ") + ")" },
        sweepCompletions: { total, parts, perSetting, settings in
            "\(total) continuaciones puntuadas (" + parts.joined(separator: " · ")
                + "), \(perSetting) en cada una de las \(settings) configuraciones de muestreo"
        },
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
            case .minimumEvents: "Mínimo de eventos y no eventos por contraste de tasas (% negativas y las demás tasas)"
            case .falseDiscoveryRate: "Tasa de falsos descubrimientos de hallazgos y veredictos"
            case .falseDiscoveryRateOfFindings: "Tasa de falsos descubrimientos de hallazgos"
            case .family: "Comparaciones múltiples"
            case .negativeThreshold: "Negativa si la puntuación compuesta ≤"
            case .positiveThreshold: "Positiva si la puntuación compuesta ≥"
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
        intervalsValue: { copies, units in
            let over = "t sobre \(ReportWords.spanishUnits(units)) (las muestras de cada prompt son copias de una sola extracción, como "
                + "las escribe la decodificación voraz: sin flujos aleatorios; grados de libertad de Satterthwaite); para tasas, "
                + "Wilson sobre las extracciones (una por prompt), para proporciones sobre sus palabras de género, con el efecto "
                + "de diseño, y t para sus contrastes"
            return switch copies {
            case .all: over
            case .none, .some:
                "t sobre clústeres cruzados \(units == .prompts ? "prompt" : units == .both ? "término (o prompt)" : "término") "
                    + "× flujo aleatorio (grados de libertad de Satterthwaite); Wilson para "
                    + "tasas y proporciones, MOVER para sus contrastes"
                    + (copies == .some ? "; con los modelos cuyas muestras son copias de una sola extracción, " + over : "")
            }
        },
        testsValue: { verdicts, copies, units in
            let sampled = "pruebas t de los contrastes entre grupos (medias: grados de libertad de Satterthwaite o "
                + "combinados; tasas y proporciones: invirtiendo el intervalo MOVER)"
            let copied = "pruebas t de los contrastes entre grupos sobre \(ReportWords.spanishUnits(units)) (grados de libertad de "
                + "Satterthwaite o combinados), también para tasas y proporciones (copias de una sola extracción)"
            return (copies == .all ? copied : sampled)
                + (copies == .some
                    ? "; también para tasas y proporciones con los modelos cuyas muestras son copias de una sola extracción" : "")
                + (verdicts ? "; veredictos entre modelos por una prueba de intersección–unión de la incertidumbre de "
                    + "ambos modelos, Benjamini–Hochberg dentro de cada conjunto de prompts con cada par de modelos" : "")
        })

    /// The units a group varies between, in Spanish: "términos", "prompts", "términos o prompts".
    private static func spanishUnits(_ units: UnitKind) -> String {
        switch units { case .terms: "términos"; case .prompts: "prompts"; case .both: "términos o prompts" }
    }
}
