import XCTest

@testable import Reporting

/// The contrast table's caption states the MDE's power as the Methods and docs/statistics.md do: "about" 80%, since
/// with 1–4 degrees of freedom the exact power at the MDE is 73–79% (a review: the caption said "detects with 80%
/// power" under Methods that said "about 80%").
final class MDEPowerWordingTests: XCTestCase {
    func testTheContrastCaptionSaysAboutThePowerInEnglishAndSpanish() throws {
        let result = try ReportFixture.result()
        for format in [ReportFormat.md, .html] {
            let english = try ReportRenderer().render(result, format: format)
            XCTAssertTrue(english.contains("the smallest difference the design detects with about 80% power (MDE)"),
                          "\(format): no caption with 'about 80% power'")
            XCTAssertFalse(english.contains("detects with 80% power"), "\(format): a caption states the power as exact")
            // Spanish writes a no-break space before the percent sign.
            let spanish = try ReportRenderer().render(result, format: format, language: .es)
            XCTAssertTrue(spanish.contains("la menor diferencia que el diseño detecta con una potencia de alrededor del 80\u{00A0}% (EMD)"),
                          "\(format): no Spanish caption with 'alrededor del 80 %'")
            XCTAssertFalse(spanish.contains("una potencia del 80\u{00A0}% (EMD)"), "\(format): a Spanish caption states the power as exact")
        }
    }
}
