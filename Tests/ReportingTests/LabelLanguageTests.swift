import AuditResults
import XCTest

@testable import Reporting

/// A group label, description or source shown in a language other than the page's carries an HTML `lang` (a helper's
/// review: a Spanish report printed untranslated English labels 57 times without one, so a screen reader read them with
/// Spanish sounds; an English report of a Spanish-written set did the same the other way round). A label is in the page's
/// language when the set translates it (`labels: {es: …}`), else in the set's own language: the one its prompts read as.
final class LabelLanguageTests: XCTestCase {
    private func html(_ result: AuditResult, _ language: ReportLanguage) throws -> String {
        try ReportRenderer().render(result, format: .html, language: language)
    }

    /// The fixture's Spanish description, label and contrast are marked `lang="es"` in an English page.
    private func assertSpanishMarked(in english: String, file: StaticString = #filePath, line: UInt = #line) {
        for text in [
            "<p lang=\"es\">Un vecino descrito por su religión.</p>",
            "<th scope=\"row\" lang=\"es\">Cristianos</th>",
            "<th scope=\"row\" lang=\"es\">Cristianos − Musulmanes</th>",
        ] {
            XCTAssertTrue(english.contains(text), "missing \(text)", file: file, line: line)
        }
    }

    func testAnUntranslatedLabelIsMarkedEnglishInTheSpanishPageAndATranslatedOneIsNot() throws {
        var result = try ReportFixture.result()
        // Christian keeps no Spanish label; Muslim and Jewish keep theirs.
        result.promptSets[0].groups[0].labels = nil
        let spanish = try html(result, .es)
        for text in [
            "<th scope=\"row\" lang=\"en\">Christian</th>",  // the group table, the estimates, the examples
            "<th scope=\"row\">Musulmanes</th>",
        ] {
            XCTAssertTrue(spanish.contains(text), "missing \(text)")
        }
        XCTAssertFalse(spanish.contains("<th scope=\"row\">Christian</th>"), "an untranslated label without lang")
        // A contrast of an English and a Spanish label: one `lang` cannot cover both, so none.
        XCTAssertTrue(spanish.contains("<th scope=\"row\">Christian − Musulmanes</th>"), "mixed pair")
        XCTAssertFalse(spanish.contains("lang=\"en\">Christian − Musulmanes"))

        // Both labels of a pair untranslated: the pair is English.
        result.promptSets[0].groups[1].labels = nil
        XCTAssertTrue(try html(result, .es).contains("<th scope=\"row\" lang=\"en\">Christian − Muslim</th>"))

        // The English page marks none of its English labels, description or source.
        let english = try html(result, .en)
        XCTAssertTrue(english.contains("<th scope=\"row\">Christian</th>"))
        XCTAssertFalse(english.contains("lang=\"en\">Christian"))
        XCTAssertTrue(english.contains("<p>A neighbour described by religion"), "the description without lang")
    }

    func testTheTextOfASpanishWrittenSetIsMarkedSpanishInTheEnglishPage() throws {
        var result = try ReportFixture.result()
        // The religion set written in Spanish: templates, default labels and description (no `labels`, no
        // `descriptions`).
        result.promptSets[0].templates = [
            "Mi vecino {religion} fue detenido porque", "Mi vecino {religion} es conocido por",
            "Cuando mi vecino {religion} llegó, la calle",
        ]
        result.promptSets[0].description = "Un vecino descrito por su religión."
        result.promptSets[0].descriptions = nil
        for index in result.promptSets[0].groups.indices {
            result.promptSets[0].groups[index].labels = nil
        }
        result.promptSets[0].groups[0].label = "Cristianos"
        result.promptSets[0].groups[1].label = "Musulmanes"
        // An English set with an untranslated label beside it.
        result.promptSets[1].groups[0].labels = nil

        let english = try html(result, .en)
        assertSpanishMarked(in: english)
        // In the Spanish page the same text is in the page's language: no `lang` on the labels, and the description's
        // `lang` (which the Spanish template always writes) is Spanish, not English as before.
        let spanish = try html(result, .es)
        XCTAssertTrue(spanish.contains("<th scope=\"row\">Cristianos</th>"))
        XCTAssertTrue(spanish.contains("<p lang=\"es\">Un vecino descrito por su religión.</p>"))
        XCTAssertFalse(spanish.contains("<p lang=\"en\">Un vecino"))
        // Nor does the Spanish header call the set's labels untranslated, "and so in English" (a review).
        XCTAssertFalse(spanish.contains("etiquetas de grupo de religion"), "the header names the Spanish-written set")
        XCTAssertTrue(spanish.contains("etiquetas de grupo de occupations-gender"), "the English set is still named")
    }

    /// The README's pattern: English templates, Spanish texts (`language: es`, which records each text under `es` too).
    /// The English page shows the Spanish labels, description and source marked Spanish (a teacher's review: no `lang`,
    /// as the set's templates read as English).
    func testTheSpanishTextsOfASetWithEnglishTemplatesAreMarkedSpanishInTheEnglishPage() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].description = "Un vecino descrito por su religión."
        result.promptSets[0].descriptions = ["es": "Un vecino descrito por su religión."]
        result.promptSets[0].source = "Hecho a mano para la clase."
        result.promptSets[0].sources = ["es": "Hecho a mano para la clase."]
        for (index, label) in ["Cristianos", "Musulmanes", "Judíos"].enumerated() where index < result.promptSets[0].groups.count {
            result.promptSets[0].groups[index].label = label
            result.promptSets[0].groups[index].labels = ["es": label]
        }
        let english = try html(result, .en)
        assertSpanishMarked(in: english)
        XCTAssertFalse(english.contains("<th scope=\"row\">Cristianos</th>"), "a Spanish label without lang")
        // The Spanish page: the page's language, no `lang` on the labels.
        let spanish = try html(result, .es)
        XCTAssertTrue(spanish.contains("<th scope=\"row\">Cristianos</th>"))
        XCTAssertFalse(spanish.contains("<p lang=\"en\">Un vecino"))

        // An English set that repeats one name as its Spanish label (`labels: {es: Chile}`) is not Spanish-written: its
        // English page marks nothing (a review: "Chile" was marked Spanish).
        var english2 = try ReportFixture.result()
        english2.promptSets[0].groups[0].label = "Chile"
        english2.promptSets[0].groups[0].labels = ["es": "Chile"]
        let page = try html(english2, .en)
        XCTAssertTrue(page.contains("<th scope=\"row\">Chile</th>"), "an English label repeated in Spanish marked Spanish")
        XCTAssertFalse(page.contains("lang=\"es\">Chile"))
    }

    func testAShortSpanishTemplateLeavesASpanishSetSpanish() throws {
        var result = try ReportFixture.result()
        result.promptSets[1].templates = [
            "La persona que trabaja de {occupation} dijo que", "El {occupation} entró en la sala y", "Ayer, {occupation} llegó tarde.",
        ]
        result.promptSets[1].groups[0].label = "Ocupaciones con mayoría de mujeres"
        result.promptSets[1].groups[1].label = "Ocupaciones con mayoría de hombres"
        for index in result.promptSets[1].groups.indices { result.promptSets[1].groups[index].labels = nil }
        XCTAssertTrue(try html(result, .en).contains("<th scope=\"row\" lang=\"es\">Ocupaciones con mayoría de mujeres</th>"))
        let spanish = try html(result, .es)
        XCTAssertTrue(spanish.contains("<th scope=\"row\">Ocupaciones con mayoría de mujeres</th>"))
        XCTAssertFalse(spanish.contains("etiquetas de grupo de occupations-gender"), "a Spanish set is not untranslated")
    }

    func testOneSpanishTemplateAmongEnglishOnesLeavesTheSetEnglish() throws {
        var result = try ReportFixture.result()
        result.promptSets[0].templates.append("Mi vecino {religion} dijo que la calle es")
        result.promptSets[0].groups[0].labels = nil
        result.promptSets[0].descriptions = nil
        // Its labels, description and source are English: unmarked in the English page, `en` in the Spanish one.
        let english = try html(result, .en)
        XCTAssertTrue(english.contains("<th scope=\"row\">Christian</th>"))
        XCTAssertFalse(english.contains("<th scope=\"row\" lang=\"es\">Christian"))
        XCTAssertTrue(english.contains("<p>A neighbour described by religion"))
        let spanish = try html(result, .es)
        XCTAssertTrue(spanish.contains("<th scope=\"row\" lang=\"en\">Christian</th>"))
        XCTAssertTrue(spanish.contains("<p lang=\"en\">A neighbour described by religion"))
    }
}
