import AuditResults
import Foundation
import PromptSets

/// The verdict of one rule on one subject (a contrast, a model difference, a group).
public struct PolicyOutcome: Sendable, Equatable {
    /// Whether the rule held for the subject.
    public enum Status: String, Sendable, Equatable, CaseIterable {
        /// The rule holds.
        case passed
        /// The rule is violated: the gate fails.
        case failed
        /// The subject's estimate is below its minimum support (e.g. a male share from a handful of
        /// gendered words): the rule was not applied. A warning; fails the gate under `--strict`.
        case insufficientData = "insufficient_data"
        /// The rule can never fail on this subject with this design: a q-gated rule over a contrast
        /// without a q-value (a descriptive metric, or no variance estimate), or a verdict-gated rule over
        /// a comparison without a test. A warning; fails the gate under `--strict`.
        case cannotFail = "cannot_fail"
        /// The rule was not applied; does not fail the gate. No rule produces it since 2026-11-30: an undefined value
        /// (no data for a group, groups sharing no template) is ``insufficientData``, which fails under `--strict`
        /// (it passed the gate before). Kept so that `check`'s outputs (JUnit, CI summary) keep their counts.
        case skipped

        /// Plain words for terminals, JUnit and CI annotations.
        public var words: String {
            switch self {
            case .passed: "passed"
            case .failed: "failed"
            case .insufficientData: "insufficient data"
            case .cannotFail: "cannot fail with this design"
            case .skipped: "skipped"
            }
        }

        /// Whether the status is a warning: it fails the gate only under `--strict`.
        public var isWarning: Bool { self == .insufficientData || self == .cannotFail }
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
    /// The number compared with the limit (|A − B|, |B − A|, the growth |B| − |A|, coverage).
    public var measured: Double?
    /// The rule's limit.
    public var limit: Double
    /// The numbers behind the verdict, in words: `black − white = -0.1530 [-0.2000, -0.1060], q = 0.0030; |black − white| 0.1530 > 0.1000`.
    /// Every estimate printed with an interval lies inside it.
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
    /// Whether warnings (insufficient data, cannot fail with this design) fail the gate (`--strict`).
    public var strict: Bool
    /// Each rule's `description:` by rule id (rules without one are absent), shown with its failures and warnings.
    public var ruleDescriptions: [String: String]
    /// The SHA-256 of the completions the gated results were computed from, as the results record it
    /// (``AuditResults/AuditManifest/completionsSHA256``); nil in results written before it was recorded.
    public var completionsSHA256: String?
    /// Notes on how to read the verdict that the gated results call for (an injected bias, fewer samples than the
    /// statistics are validated with), as `check` prints them on standard error; the step summary shows them, the JUnit
    /// report carries each as a `note` property, and each is a warning annotation. Empty by default.
    public var notes: [String] = []
    /// The policy's own warnings (``Policy/warnings``: a rule that cannot fail), each as its compiler-style line; the step
    /// summary shows them and the JUnit report carries each as a `policy_warning` property (a practitioner's review: they
    /// reached standard error and the annotations only, and a summary read "passed" beside a rule that could never fail).
    public var policyWarnings: [String] = []

    /// Creates a report.
    public init(
        policyPath: String, resultsPath: String, ruleIDs: [String], outcomes: [PolicyOutcome], strict: Bool = false,
        ruleDescriptions: [String: String] = [:], completionsSHA256: String? = nil
    ) {
        self.policyPath = policyPath
        self.resultsPath = resultsPath
        self.ruleIDs = ruleIDs
        self.outcomes = outcomes
        self.strict = strict
        self.ruleDescriptions = ruleDescriptions
        self.completionsSHA256 = completionsSHA256
    }

    /// The outcomes that fail the gate: violations, and under ``strict`` the warnings too.
    public var failures: [PolicyOutcome] { outcomes.filter(isFailing) }

    /// The warnings that do not fail the gate (none under ``strict``: there they are failures).
    public var warnings: [PolicyOutcome] { outcomes.filter { $0.status.isWarning && !strict } }

    /// Whether an outcome fails the gate.
    public func isFailing(_ outcome: PolicyOutcome) -> Bool {
        outcome.status == .failed || (strict && outcome.status.isWarning)
    }

    /// Whether every rule holds (the gate passes).
    public var holds: Bool { failures.isEmpty }

    /// How many outcomes have `status`.
    public func count(_ status: PolicyOutcome.Status) -> Int {
        outcomes.filter { $0.status == status }.count
    }

    /// The prompt sets of the outcomes, in order of first appearance.
    public var sets: [String] {
        outcomes.map(\.set).uniqued()
    }

    /// The rules that failed on at least one subject, in policy order.
    public var failedRuleIDs: [String] {
        let failed = Set(failures.map(\.ruleID))
        return ruleIDs.filter(failed.contains)
    }

    /// The outcomes of each rule, in outcome order: one pass, so that reports over many rules stay linear.
    public var outcomesByRule: [String: [PolicyOutcome]] {
        Dictionary(grouping: outcomes, by: \.ruleID)
    }

    /// A failure or warning as a compiler-style line pointing at the rule:
    /// `policy.yaml:L:C: error: [rule] subject [model]: detail` (`warning:` for a warning that does not fail
    /// the gate), kept on one line with control characters shown (``TextEscaping/line(_:)``).
    public func diagnostic(for outcome: PolicyOutcome) -> String {
        let severity = isFailing(outcome) ? "error" : "warning"
        return TextEscaping.line(
            "\(policyPath):\(outcome.ruleLocation): \(severity): [\(outcome.ruleID)] \(outcome.subject) [\(outcome.model)]: "
                + outcome.detail)
    }

    /// Formats a number for messages (4 decimals; scientific below 1e-4).
    public static func format(_ value: Double) -> String {
        ReportNumbers.policy(value)
    }
}

extension PolicyOutcome {
    /// The measured value as the outcome's detail prints it beside the limit: with the decimals it takes to differ from
    /// the limit in print (a practitioner's review: JUnit and the step summary showed "measured: 0.0625" and "limit:
    /// 0.0625" for a failure of 0.0625 against 0.06249999999); "undefined" when there is none.
    public var printedMeasured: String {
        measured.map { PolicyEvaluator.measuredText($0, against: limit) } ?? "undefined"
    }

    /// The limit as the outcome's detail prints it: 4 decimals where they hold it exactly, else as the policy wrote it.
    public var printedLimit: String { PolicyEvaluator.limitText(limit) }
}
