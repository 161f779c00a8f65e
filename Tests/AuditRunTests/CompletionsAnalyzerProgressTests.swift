import AuditAnalysis
import AuditResults
import AuditRun
import Foundation
import TestSupport
import XCTest

/// A hostile review: `analyze` of 31,200 lines was silent for 13 s (1,000,000 lines take minutes). It tells its progress
/// of each phase once the file is read (the command shows them on a terminal).
final class CompletionsAnalyzerProgressTests: XCTestCase {
    func testAnAnalysisSaysEachPhase() throws {
        let directory = try Fixtures.temporaryDirectory("analyze-progress")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("c.jsonl")
        var lines: [String] = []
        for template in ["{name} went to the market and", "Yesterday {name} said that"] {
            for (group, terms) in [("group_a", ["Alice", "Beth", "Cara"]), ("group_b", ["Dan", "Ed", "Fred"])] {
                for term in terms {
                    for sample in 0..<2 {
                        lines.append("{\"set\":\"two-groups\",\"template\":\"\(template)\",\"group\":\"\(group)\",\"term\":"
                            + "\"\(term)\",\"model\":\"m\",\"sample_index\":\(sample),\"text\":\" it was \(sample == 0 ? "good" : "bad")\"}")
                    }
                }
            }
        }
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)
        let notes = NoteRecorder()
        let configuration = CompletionsAnalysisConfiguration(
            input: .file(file, promptSetFiles: [Fixtures.url("analyze/two-groups.yaml")]), outputDirectory: directory)
        _ = try CompletionsAnalyzer.analyze(configuration, scorer: try TextScorer.bundled(), progress: notes)
        XCTAssertEqual(notes.notes, ["matching and scoring 24 completions…", "computing statistics…"])
    }
}
