import AuditResults
import XCTest

@testable import Reporting

/// Statistician's review 86: at `--confidence 0.99` the Methods said the power at the MDE with 1–4 df is "73–79% for 80%
/// at α = 0.05", the figures of the default level. The figures are now computed at the report's own α and power.
final class MDESmallDfPowerTests: XCTestCase {
    /// The exact noncentral-t power at the MDE against SciPy 1.17
    /// (`stats.nct.sf(c, df, c + t.ppf(0.8, df)) + stats.nct.cdf(-c, df, …)`, c = t.ppf(1 − α/2, df)).
    func testTheExactPowerAtTheMDEMatchesSciPy() {
        let references: [(alpha: Double, df: Int, power: Double)] = [
            (0.05, 1, 0.73080), (0.05, 2, 0.76627), (0.05, 3, 0.78396), (0.05, 4, 0.79134),
            (0.01, 1, 0.69298), (0.01, 3, 0.73037), (0.01, 4, 0.74971),
            (0.1, 1, 0.77102), (0.1, 2, 0.80025), (0.1, 4, 0.80724),
        ]
        var largest = 0.0
        for reference in references {
            let power = MDEExactPower.power(df: reference.df, alpha: reference.alpha, nominal: 0.8)
            largest = max(largest, abs(power - reference.power))
        }
        XCTAssertLessThan(largest, 1e-5, "largest difference from SciPy: \(largest)")
    }

    func testTheMethodsQuoteThePowerAtTheReportsOwnLevel() throws {
        func text(confidence: Double, _ language: ReportLanguage = .en, format: ReportFormat = .md) throws -> String {
            var result = try ReportFixture.result()
            result.manifest.parameters.confidenceLevel = confidence
            result.manifest.parameters.analysis = AnalysisParameters(confidenceLevel: confidence)
            return try ReportRenderer().render(result, format: format, language: language)
        }
        for format in [ReportFormat.md, .html] {
            let english95 = try text(confidence: 0.95, format: format)
            XCTAssertTrue(english95.contains("with 1–4 the power at that gap is lower, 73–79% for 80% at α = 0.05)"), "\(format) 95%")
            let english99 = try text(confidence: 0.99, format: format)
            XCTAssertTrue(english99.contains("with 1–4 the power at that gap is lower, 69–75% for 80% at α = 0.01)"), "\(format) 99%")
            XCTAssertFalse(english99.contains("α = 0.05"), "\(format): a 99% report quotes α = 0.05")
            let spanish95 = try text(confidence: 0.95, .es, format: format)
            XCTAssertTrue(spanish95.contains(
                "con 1 a 4, la potencia ante esa diferencia es menor, del 73 al 79\u{00A0}% para el 80\u{00A0}% con α = 0,05)"),
                "\(format) es 95%")
            let spanish99 = try text(confidence: 0.99, .es, format: format)
            XCTAssertTrue(spanish99.contains(
                "con 1 a 4, la potencia ante esa diferencia es menor, del 69 al 75\u{00A0}% para el 80\u{00A0}% con α = 0,01)"),
                "\(format) es 99%")
            XCTAssertFalse(spanish99.contains("α = 0,05"), "\(format): a 99% Spanish report quotes α = 0,05")
            // The q-value bullet's noise share follows α too (a statistician's review: "at p < 0.05 … one in twenty"
            // beside 0.01 everywhere else).
            let less = format == .html ? "&lt;" : "<"
            XCTAssertTrue(english95.contains("p \(less) 0.05 about one in twenty differences that are pure noise"), "\(format)")
            XCTAssertTrue(english99.contains("p \(less) 0.01 about one in a hundred differences that are pure noise"), "\(format)")
            XCTAssertTrue(try text(confidence: 0.98, format: format)
                .contains("p \(less) 0.02 about 2% of the differences that are pure noise"), "\(format) 98%")
            // The Spanish verb agrees with the share's form (a review: "un 2 % … parecería significativa").
            XCTAssertTrue(spanish99.contains("una de cada cien diferencias que son puro ruido parecería significativa."), "\(format)")
            XCTAssertTrue(try text(confidence: 0.98, .es, format: format).contains(
                "con p \(less) 0,02, alrededor de un 2\u{00A0}% de las diferencias que son puro ruido parecerían significativas."), "\(format) es 98%")
            // At 90% the exact power with 2–4 df is above 80%: the words do not say "lower".
            XCTAssertTrue(try text(confidence: 0.9, format: format).contains(
                "with 1–4 the power at that gap is 77–81% for 80% at α = 0.1)"), "\(format) 90%")
        }
    }
}
