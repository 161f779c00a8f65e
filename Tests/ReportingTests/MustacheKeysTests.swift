import AuditResults
import Foundation
@testable import Reporting
import XCTest

/// Every report view lists its template keys (`ReportViewModel+Mustache.swift`), so that Mustache reads
/// fields without a `Mirror` per lookup. A field missing from a list would be invisible to the
/// templates: each list must name exactly the stored properties, and give the value a Mirror gives.
final class MustacheKeysTests: XCTestCase {
    /// The view types of a report (ReportViewModel.swift, SetView.swift, ComparisonView.swift).
    static let viewTypes = 27

    func testEveryViewListsExactlyItsStoredPropertiesWithTheirValues() throws {
        var result = try ReportFixture.result()
        result.manifest.parameters.temperature = 1
        result.manifest.parameters.injectedBiases = [InjectedBias(group: "muslim", token: " bad", logit: 2)]
        var checked = Set<String>()
        var problems: [String] = []
        for escaping in [ReportEscaping.html, .markdown] {
            check(ReportViewModel(result, escaping: escaping), path: "view", checked: &checked, problems: &problems)
        }
        XCTAssertTrue(problems.isEmpty, "\(problems.count) problems, first ones:\n" + problems.prefix(10).joined(separator: "\n"))
        XCTAssertEqual(checked.count, Self.viewTypes, "view types reached: \(checked.sorted())")
    }

    /// Compares `value`'s key list with its Mirror, then walks into its fields and arrays.
    private func check(_ value: Any, path: String, checked: inout Set<String>, problems: inout [String]) {
        let mirror = Mirror(reflecting: value)
        if let keyed = value as? any MustacheKeyed {
            let type = String(describing: Swift.type(of: value))
            checked.insert(type)
            let labels = Set(mirror.children.compactMap(\.label))
            let keys = Set(Swift.type(of: keyed).keyNames)
            if labels != keys {
                problems.append("\(type): not listed \(labels.subtracting(keys).sorted()), listed but absent \(keys.subtracting(labels).sorted())")
            }
            for child in mirror.children {
                guard let label = child.label else { continue }
                let viaMirror = Self.unwrapped(child.value).map { String(describing: $0) } ?? "nil"
                let viaKeys = keyed.child(named: label).map { String(describing: $0) } ?? "nil"
                if viaMirror != viaKeys { problems.append("\(path).\(label): \(viaKeys.prefix(80)) instead of \(viaMirror.prefix(80))") }
            }
            if keyed.child(named: "noSuchKey") != nil { problems.append("\(type) answers an unknown key") }
        }
        switch mirror.displayStyle {
        case .struct, .collection, .optional:
            for (index, child) in mirror.children.enumerated() {
                check(child.value, path: "\(path).\(child.label ?? String(index))", checked: &checked, problems: &problems)
            }
        default:
            break
        }
    }

    /// An optional's wrapped value (nil for none), anything else as it is: what a Mirror lookup gives Mustache.
    private static func unwrapped(_ value: Any) -> Any? {
        let mirror = Mirror(reflecting: value)
        guard mirror.displayStyle == .optional else { return value }
        return mirror.children.first?.value
    }
}

extension MustacheKeyed {
    /// The listed template keys.
    static var keyNames: [String] { Array(mustacheKeys.keys) }
}
