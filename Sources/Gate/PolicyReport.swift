import AuditResults
import Foundation
import PromptSets

/// The verdict of one rule on one subject (a contrast, a model difference, a group).
public struct PolicyOutcome: Sendable, Equatable {
    /// Whether the rule held for the subject.
    public enum Status: String, Sendable, Equatable {
        /// The rule holds.
        case passed
        /// The rule is violated: the gate fails.
        case failed
        /// The rule could not be applied (an undefined value or a missing interval); does not fail the gate.
        case skipped
    }

    /// The rule's id.
    public var ruleID: String
    /// The rule's kind as written in the file (`max_abs_contrast`, …).
    public var ruleKind: String
    /// Where the rule starts in the policy file.
    public var ruleLocation: PolicyLocation
    /// The prompt set of the subject.
    public var set: String
    /// What was checked: a contrast id, or `<set>/lexicon_coverage/<group>` for a group.
    public var subject: String
    /// The model, or `A → B` for a model difference or a baseline growth.
    public var model: String
    /// The verdict.
    public var status: Status
    /// The number compared with the limit (|contrast|, |difference|, growth lower bound, coverage).
    public var measured: Double?
    /// The rule's limit.
    public var limit: Double
    /// The numbers behind the verdict, in words: `|A − B| = 0.1530 > 0.1000 (q = 0.0030)`.
    public var detail: String

    /// Creates an outcome.
    public init(
        ruleID: String, ruleKind: String, ruleLocation: PolicyLocation, set: String, subject: String, model: String,
        status: Status, measured: Double?, limit: Double, detail: String
    ) {
        self.ruleID = ruleID
        self.ruleKind = ruleKind
        self.ruleLocation = ruleLocation
        self.set = set
        self.subject = subject
        self.model = model
        self.status = status
        self.measured = measured
        self.limit = limit
        self.detail = detail
    }

    /// A name for the check that is unique within a report: `rule-id: subject [model]`.
    public var name: String { "\(ruleID): \(subject) [\(model)]" }
}

/// What `biasaudit check` found: every rule applied to every subject it matches.
public struct PolicyReport: Sendable, Equatable {
    /// The policy file as the user named it.
    public var policyPath: String
    /// The results file as the user named it.
    public var resultsPath: String
    /// The rule ids in policy order (a rule that matched nothing still appears here).
    public var ruleIDs: [String]
    /// Every outcome, in rule order, then set, subject and model order.
    public var outcomes: [PolicyOutcome]

    /// Creates a report.
    public init(policyPath: String, resultsPath: String, ruleIDs: [String], outcomes: [PolicyOutcome]) {
        self.policyPath = policyPath
        self.resultsPath = resultsPath
        self.ruleIDs = ruleIDs
        self.outcomes = outcomes
    }

    /// The failed outcomes.
    public var failures: [PolicyOutcome] { outcomes.filter { $0.status == .failed } }

    /// Whether every rule holds (the gate passes).
    public var holds: Bool { failures.isEmpty }

    /// The prompt sets of the outcomes, in order of first appearance.
    public var sets: [String] {
        outcomes.map(\.set).uniqued()
    }

    /// The rules that failed on at least one subject, in policy order.
    public var failedRuleIDs: [String] {
        ruleIDs.filter { id in failures.contains { $0.ruleID == id } }
    }

    /// A failure as a compiler-style line pointing at the rule: `policy.yaml:L:C: error: [rule] message`,
    /// kept on one line with control characters shown (``TextEscaping/line(_:)``).
    public func diagnostic(for outcome: PolicyOutcome) -> String {
        TextEscaping.line(
            "\(policyPath):\(outcome.ruleLocation): error: [\(outcome.ruleID)] \(outcome.subject) [\(outcome.model)]: "
                + outcome.detail)
    }

    /// Formats a number for messages (4 decimals; scientific below 1e-4).
    public static func format(_ value: Double) -> String {
        ReportNumbers.policy(value)
    }
}
