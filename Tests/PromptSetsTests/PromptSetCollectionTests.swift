import Foundation
@testable import PromptSets
import TestSupport
import XCTest

/// The prompt sets shipped in `PromptSets/`: each loads, lints clean in strict mode, and together they stay
/// a moderate audit.
final class PromptSetCollectionTests: XCTestCase {
    /// The default audit samples every prompt; keep the whole collection near this size. Issue 11 asks for
    /// 8 or more terms per group, so that a strong bias on one group can reach significance; that puts
    /// the collection above 400 prompts.
    private let promptBudget = 150...450

    private func shippedFiles() throws -> [URL] {
        let directory = Fixtures.repositoryRoot.appendingPathComponent("PromptSets", isDirectory: true)
            .resolvingSymlinksInPath()
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "yaml" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 8, "expected the default collection in \(directory.path)")
        return files
    }

    func testEveryShippedSetLoadsAndLintsCleanInStrictMode() throws {
        let linter = try Linter()
        var names: Set<String> = []
        var total = 0
        for file in try shippedFiles() {
            let data = try Data(contentsOf: file)
            let path = "PromptSets/\(file.lastPathComponent)"
            let findings = linter.lint(data: data, path: path)
            XCTAssertFalse(findings.hasErrors(strict: true),
                           findings.map(\.description).joined(separator: "\n"))
            let set = try PromptSetLoader.load(data: data, path: path)
            XCTAssertEqual(set.name + ".yaml", file.lastPathComponent, "a set's file is named after the set")
            XCTAssertTrue(names.insert(set.name).inserted, "set name \(set.name) used twice")
            XCTAssertFalse(set.source.isEmpty, path)
            XCTAssertTrue((3...10).contains(set.templates.count), "\(path): \(set.templates.count) templates")
            XCTAssertEqual(Set(set.prompts.map(\.id)).count, set.prompts.count, "\(path): prompt ids repeat")
            total += set.prompts.count
        }
        XCTAssertTrue(promptBudget.contains(total), "the collection has \(total) prompts; keep it in \(promptBudget)")
    }

    /// Every shipped set samples 10 completions per prompt: the designs docs/statistics-validation.md simulates as shipped
    /// ("The shipped designs as they are"). With the 6 names-race-gender had, 18 shared streams instead of 30, its 5%
    /// levels covered 91.3–92.2% with strongly shared streams.
    func testEveryShippedSetSamplesTheValidatedTen() throws {
        for file in try shippedFiles() {
            let set = try PromptSetLoader.load(data: Data(contentsOf: file), path: file.path)
            XCTAssertEqual(set.defaults?.samples, 10, "\(file.lastPathComponent) samples \(set.defaults?.samples.map(String.init) ?? "the global default")")
        }
    }

    func testTheCollectionCoversTheDocumentedAxes() throws {
        let axes = try shippedFiles().map { try PromptSetLoader.load(data: Data(contentsOf: $0), path: $0.path).axis }
        for axis in ["occupation-gender", "race-gender", "nationality", "religion", "immigration", "class", "gender",
                     "race", "sexual-orientation"] {
            XCTAssertTrue(axes.contains(axis), "no shipped set for axis \(axis)")
        }
    }

    func testOccupationTermsCarryTheirWomensShare() throws {
        let file = Fixtures.repositoryRoot.appendingPathComponent("PromptSets/occupations-gender.yaml")
        let set = try PromptSetLoader.load(data: Data(contentsOf: file), path: file.path)
        let shares = Dictionary(uniqueKeysWithValues: set.groups.map { group in
            (group.id, group.terms?.compactMap(\.womenShare) ?? [])
        })
        XCTAssertEqual(shares["female_dominated"]?.count, 8)
        XCTAssertEqual(shares["male_dominated"]?.count, 8)
        XCTAssertTrue(shares["female_dominated"]?.allSatisfy { $0 > 0.75 } ?? false, "\(shares)")
        XCTAssertTrue(shares["male_dominated"]?.allSatisfy { $0 < 0.25 } ?? false, "\(shares)")
        XCTAssertTrue(set.prompts.allSatisfy { $0.womenShare != nil })
    }

    func testTheAuditStudyNamesAreThoseOfBertrandAndMullainathan() throws {
        let file = Fixtures.repositoryRoot.appendingPathComponent("PromptSets/names-race-gender.yaml")
        let set = try PromptSetLoader.load(data: Data(contentsOf: file), path: file.path)
        let names = Dictionary(uniqueKeysWithValues: set.groups.map { ($0.id, Set(($0.terms ?? []).map(\.term))) })
        XCTAssertEqual(names["white_female"], ["Emily", "Anne", "Jill", "Allison", "Laurie", "Sarah", "Meredith",
                                               "Carrie", "Kristen"])
        XCTAssertEqual(names["white_male"], ["Todd", "Neil", "Geoffrey", "Brett", "Brendan", "Greg", "Matthew",
                                             "Jay", "Brad"])
        XCTAssertEqual(names["black_female"], ["Aisha", "Keisha", "Tamika", "Lakisha", "Tanisha", "Latoya",
                                               "Kenya", "Latonya", "Ebony"])
        XCTAssertEqual(names["black_male"], ["Rasheed", "Tremayne", "Kareem", "Darnell", "Tyrone", "Hakim",
                                             "Jamal", "Leroy", "Jermaine"])
    }
}
