import Foundation
import PromptSets

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A JUnit XML report (the `testsuites` / `testsuite` / `testcase` structure that Jenkins, GitLab,
/// GitHub test reporters and most CI systems read), built with Foundation's XML document API.
///
/// Counts (`tests`, `failures`, `errors`, `skipped`) are derived from the cases, so they always agree.
/// Text is cleaned of the control characters XML 1.0 cannot carry (replaced by U+FFFD).
public struct JUnitReport: Sendable, Equatable {
    /// Why a test case failed.
    public struct Failure: Sendable, Equatable {
        /// One line: what failed.
        public var message: String
        /// The kind of failure (the rule kind, the lint rule).
        public var type: String
        /// The numbers and details, several lines.
        public var body: String

        /// Creates a failure.
        public init(message: String, type: String, body: String) {
            self.message = message
            self.type = type
            self.body = body
        }
    }

    /// One check.
    public struct TestCase: Sendable, Equatable {
        /// The case's name, unique within its suite.
        public var name: String
        /// The `classname` attribute (a dotted grouping CI systems show as the "class").
        public var className: String
        /// A failed assertion (a violated rule, a lint error).
        public var failure: Failure?
        /// An error that kept the check from running (an unreadable file).
        public var error: Failure?
        /// Why the check was skipped, when it was.
        public var skipped: String?
        /// Extra output shown with the case (warnings that do not fail it).
        public var systemOut: String?

        /// Creates a test case.
        public init(
            name: String, className: String, failure: Failure? = nil, error: Failure? = nil, skipped: String? = nil,
            systemOut: String? = nil
        ) {
            self.name = name
            self.className = className
            self.failure = failure
            self.error = error
            self.skipped = skipped
            self.systemOut = systemOut
        }
    }

    /// A group of cases (one prompt set, one linted file).
    public struct Suite: Sendable, Equatable {
        /// The suite's name.
        public var name: String
        /// Its cases, in order.
        public var cases: [TestCase]
        /// `name = value` properties (the policy and results files, …).
        public var properties: [(String, String)]

        /// Creates a suite.
        public init(name: String, cases: [TestCase], properties: [(String, String)] = []) {
            self.name = name
            self.cases = cases
            self.properties = properties
        }

        /// Equality of name, cases and properties.
        public static func == (lhs: Suite, rhs: Suite) -> Bool {
            lhs.name == rhs.name && lhs.cases == rhs.cases
                && lhs.properties.map(\.0) == rhs.properties.map(\.0) && lhs.properties.map(\.1) == rhs.properties.map(\.1)
        }

        /// Failed cases.
        public var failureCount: Int { cases.filter { $0.failure != nil }.count }
        /// Cases with an error.
        public var errorCount: Int { cases.filter { $0.error != nil }.count }
        /// Skipped cases.
        public var skippedCount: Int { cases.filter { $0.skipped != nil }.count }
    }

    /// The name of the whole run (`biasaudit check`, `biasaudit lint`).
    public var name: String
    /// The suites, in order.
    public var suites: [Suite]
    /// When the checks ran (the `timestamp` of every suite).
    public var timestamp: Date

    /// Creates a report.
    public init(name: String, suites: [Suite], timestamp: Date) {
        self.name = name
        self.suites = suites
        self.timestamp = timestamp
    }

    /// The XML document.
    public func xmlDocument() -> XMLDocument {
        let root = XMLElement(name: "testsuites")
        let all = suites.flatMap(\.cases)
        setAttributes(root, [
            ("name", name), ("tests", "\(all.count)"),
            ("failures", "\(suites.reduce(0) { $0 + $1.failureCount })"),
            ("errors", "\(suites.reduce(0) { $0 + $1.errorCount })"),
            ("skipped", "\(suites.reduce(0) { $0 + $1.skippedCount })"), ("time", "0"),
        ])
        let stamp = Self.timestampFormatter.string(from: timestamp)
        for (index, suite) in suites.enumerated() {
            let element = XMLElement(name: "testsuite")
            setAttributes(element, [
                ("name", suite.name), ("id", "\(index)"), ("tests", "\(suite.cases.count)"),
                ("failures", "\(suite.failureCount)"), ("errors", "\(suite.errorCount)"),
                ("skipped", "\(suite.skippedCount)"), ("time", "0"), ("timestamp", stamp),
            ])
            if !suite.properties.isEmpty {
                let properties = XMLElement(name: "properties")
                for (key, value) in suite.properties {
                    let property = XMLElement(name: "property")
                    setAttributes(property, [("name", key), ("value", value)])
                    properties.addChild(property)
                }
                element.addChild(properties)
            }
            for testCase in suite.cases {
                element.addChild(caseElement(testCase))
            }
            root.addChild(element)
        }
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        return document
    }

    /// The XML text, pretty-printed.
    public func xmlData() -> Data {
        xmlDocument().xmlData(options: [.nodePrettyPrint])
    }

    private func caseElement(_ testCase: TestCase) -> XMLElement {
        let element = XMLElement(name: "testcase")
        setAttributes(element, [("name", testCase.name), ("classname", testCase.className), ("time", "0")])
        if let skipped = testCase.skipped {
            let child = XMLElement(name: "skipped")
            setAttributes(child, [("message", skipped)])
            element.addChild(child)
        }
        for (tag, failure) in [("failure", testCase.failure), ("error", testCase.error)] {
            guard let failure else { continue }
            let child = XMLElement(name: tag, stringValue: Self.clean(failure.body))
            setAttributes(child, [("message", failure.message), ("type", failure.type)])
            element.addChild(child)
        }
        if let output = testCase.systemOut {
            element.addChild(XMLElement(name: "system-out", stringValue: Self.clean(output)))
        }
        return element
    }

    /// Attributes are one line: line breaks and tabs become spaces (a hostile review: a rule description's line break
    /// reached `message` raw, which CI pages show as it was written or not at all).
    private func setAttributes(_ element: XMLElement, _ attributes: [(String, String)]) {
        for (name, value) in attributes {
            // Every line break Unicode has (U+2028 and U+2029 too, which `clean` keeps; a code review).
            let line = String(Self.clean(value).map { $0.isNewline || $0 == "\t" ? " " : $0 })
            if let attribute = XMLNode.attribute(withName: name, stringValue: line) as? XMLNode {
                element.addAttribute(attribute)
            }
        }
    }

    /// `text` as every other output shows it (``PromptSets/TextEscaping/visible(_:)``: control characters, C1
    /// controls, bidirectional overrides and non-characters as `\u{…}` escapes; a hostile review: a policy description's
    /// U+202E reached the `<failure>` text raw, which CI pages show reversed, and ESC became U+FFFD), then any character
    /// XML 1.0 cannot carry left (C0 controls other than tab, newline, return) as U+FFFD.
    static func clean(_ text: String) -> String {
        String(String.UnicodeScalarView(TextEscaping.visible(text).unicodeScalars.map { scalar in
            scalar.value < 0x20 && ![0x09, 0x0A, 0x0D].contains(scalar.value) || (0xFFFE...0xFFFF).contains(scalar.value)
                ? "\u{FFFD}" : scalar
        }))
    }

    private static let timestampFormatter: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter
    }()
}
