import AuditResults
import Foundation
import PromptSets

/// A 1-based line and column in a policy file.
public struct PolicyLocation: Sendable, Equatable, CustomStringConvertible {
    /// 1-based line.
    public var line: Int
    /// 1-based column (Unicode scalars).
    public var column: Int

    /// Creates a location.
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// The start of the file, for findings about the file as a whole.
    public static let start = PolicyLocation(line: 1, column: 1)

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// A value of a policy file and where it was written, so that a value that does not fit the results
/// can be reported at its own position.
public struct PolicyLocated<Value: Sendable & Equatable>: Sendable, Equatable {
    /// The value.
    public var value: Value
    /// Where it was written.
    public var location: PolicyLocation

    /// Creates a located value.
    public init(_ value: Value, at location: PolicyLocation) {
        self.value = value
        self.location = location
    }
}

/// A CI gate for audit results: the rules `biasaudit check` evaluates (see ``PolicyParser`` for the
/// file format and ``PolicyRule/Kind`` for what each rule means).
public struct Policy: Sendable, Equatable {
    /// The file the policy was read from, as the user named it (used in every message).
    public var path: String
    /// The rules, in file order.
    public var rules: [PolicyRule]
    /// What the parser found worth saying that does not stop `check`, in file order: a rule that can never fail.
    public var warnings: [PolicyWarning]

    /// The most rules a policy may hold (``PolicyParser`` refuses more, exit 65, before anything is evaluated).
    ///
    /// `check` evaluates every rule against every contrast, comparison or group its filters let through and
    /// reports each outcome, so its time and memory grow with rules × rows: 20,000 copies of one rule took
    /// 51 s and 2.1 GB on a two-model results file, 100,000 (5.3 MB, inside the 8 MiB file limit) did not
    /// finish. A policy written by hand needs far fewer: one rule for each of the 4 kinds, 7 metrics and 9
    /// bundled prompt sets is at most 252; 1,000 leaves room for per-model or per-axis rules on top.
    public static let maximumRules = 1_000

    /// Creates a policy.
    public init(path: String, rules: [PolicyRule], warnings: [PolicyWarning] = []) {
        self.path = path
        self.rules = rules
        self.warnings = warnings
    }

    /// Whether any rule compares against a baseline run (so `--baseline` is required).
    public var needsBaseline: Bool {
        rules.contains { if case .maxBaselineGrowth = $0.kind { true } else { false } }
    }
}

/// A finding about a policy that does not stop `check`: a rule that can never fail, one whose `max` equals the largest
/// value its metric can reach (2 on a sentiment contrast or growth, 4 on a sentiment model change, 1 on a rate or share,
/// 2 on a change of rate gaps), since a check fails above its limit, or a `min_lexicon_coverage` of `min: 0`, since it
/// fails below its limit. Such a limit is accepted, as a limit that
/// passes every run may be meant (the project's end-to-end tests gate on `max: 2` on sentiment), and said: on standard
/// error and, under GitHub Actions, as a warning annotation. It changes no exit code, under `--strict` neither, which
/// makes the warnings of the verdict (insufficient data, cannot fail with this design) fail the gate.
public struct PolicyWarning: Sendable, Equatable {
    /// The id of the rule it is about.
    public var ruleID: String
    /// Where the value it is about (the `max:` or `min:`) was written.
    public var location: PolicyLocation
    /// What was found and what to write, without the place and the rule.
    public var message: String
    /// Whether the rule can never fail (a limit at its metric's reach); false for a limit that may have been meant as
    /// percentage points and can still fail on some metric or change (a CI team's review: such a rule's annotation was
    /// titled "a rule that cannot fail" in the run where it failed).
    public var cannotFail: Bool

    /// Creates a warning.
    public init(ruleID: String, location: PolicyLocation, message: String, cannotFail: Bool = true) {
        self.ruleID = ruleID
        self.location = location
        self.message = message
        self.cannotFail = cannotFail
    }

    /// The words in the title of its annotation: "a rule that cannot fail", or "a limit read as a proportion".
    public var titleWords: String { cannotFail ? "a rule that cannot fail" : "a limit read as a proportion" }

    /// The warning as a compiler-style line: `policy.yaml:L:C: warning: [rule] message`, as
    /// ``PolicyReport/diagnostic(for:)`` writes the verdict's warnings, on one line with control characters shown.
    /// - Parameter path: the policy file as the user named it.
    public func diagnostic(in path: String) -> String {
        TextEscaping.line("\(path):\(location): warning: [\(ruleID)] \(message)")
    }
}

/// Which contrasts, comparisons or groups a rule applies to. Every filter that is given must match;
/// a missing filter matches everything.
public struct PolicyFilter: Sendable, Equatable {
    /// Only this metric.
    public var metric: PolicyLocated<AuditMetric>?
    /// Only prompt sets of this axis (`gender`, `race`, …).
    public var axis: PolicyLocated<String>?
    /// Only this prompt set (its `name`).
    public var set: PolicyLocated<String>?
    /// Only this model (for model differences: either model of the pair).
    public var model: PolicyLocated<String>?

    /// Creates a filter.
    public init(
        metric: PolicyLocated<AuditMetric>? = nil, axis: PolicyLocated<String>? = nil,
        set: PolicyLocated<String>? = nil, model: PolicyLocated<String>? = nil
    ) {
        self.metric = metric
        self.axis = axis
        self.set = set
        self.model = model
    }

    /// Whether a prompt set passes the axis and set filters.
    public func matches(set result: PromptSetResult) -> Bool {
        matches(setNamed: result.name, axis: result.axis)
    }

    /// Whether a prompt set with this name and axis passes the set and axis filters.
    public func matches(setNamed name: String, axis setAxis: String) -> Bool {
        (axis == nil || axis?.value == setAxis) && (set == nil || set?.value == name)
    }

    /// Whether a metric passes the metric filter.
    public func matches(metric candidate: AuditMetric) -> Bool {
        metric == nil || metric?.value == candidate
    }

    /// Whether a model (or either model of a pair) passes the model filter.
    public func matches(models: String...) -> Bool {
        guard let model else { return true }
        return models.contains(model.value)
    }
}

/// One rule of a policy.
public struct PolicyRule: Sendable, Equatable {
    /// What a rule demands.
    public enum Kind: Sendable, Equatable {
        /// `max_abs_contrast`: every group contrast's |A − B| (its point estimate) is at most `max`. With
        /// `onlyWhenQBelow`, only contrasts whose Benjamini–Hochberg q-value (within the set × model
        /// family) is below it can fail; a contrast without a q-value (a descriptive metric, or no
        /// variance estimate) is reported as "cannot fail with this design". A contrast below its
        /// minimum support is "insufficient data" and is not judged.
        case maxAbsContrast(max: Double, onlyWhenQBelow: Double?)
        /// `max_model_difference`: every model-vs-model change of a contrast, |B − A| (point estimate),
        /// is at most `max`. With `onlyWhenSignificant` (`only_when_significant: true`), only changes whose
        /// verdict is "more biased" or "less biased" (``AuditResults/ModelComparison/verdict``: the joint
        /// test of |B| vs |A| with Benjamini–Hochberg q < 0.05 within its prompt set × model pair) can fail.
        case maxModelDifference(max: Double, onlyWhenSignificant: Bool)
        /// `max_baseline_growth`: a contrast fails when its diff verdict against the baseline run is
        /// "more biased" (``AuditAnalysis/RunDiffEntry/verdict``) and its growth |B| − |A| (point
        /// estimates) exceeds `max`.
        case maxBaselineGrowth(max: Double)
        /// `min_lexicon_coverage`: every group's lexicon coverage (share of continuations with a word
        /// VADER knows) is at least `min`.
        case minLexiconCoverage(min: Double)

        /// The name used in policy files.
        public var name: String {
            switch self {
            case .maxAbsContrast: "max_abs_contrast"
            case .maxModelDifference: "max_model_difference"
            case .maxBaselineGrowth: "max_baseline_growth"
            case .minLexiconCoverage: "min_lexicon_coverage"
            }
        }

        /// The limit the rule compares against.
        public var limit: Double {
            switch self {
            case .maxAbsContrast(let max, _), .maxModelDifference(let max, _), .maxBaselineGrowth(let max): max
            case .minLexiconCoverage(let min): min
            }
        }
    }

    /// The rule's id: the `id:` given in the file, or `<kind>-<n>` (n = the rule's 1-based position).
    public var id: String
    /// What the rule demands.
    public var kind: Kind
    /// Which subjects it applies to.
    public var filter: PolicyFilter
    /// The optional `description:`, shown with failures.
    public var description: String?
    /// Where the rule starts in the file.
    public var location: PolicyLocation

    /// Creates a rule.
    public init(id: String, kind: Kind, filter: PolicyFilter, description: String? = nil, location: PolicyLocation) {
        self.id = id
        self.kind = kind
        self.filter = filter
        self.description = description
        self.location = location
    }
}
