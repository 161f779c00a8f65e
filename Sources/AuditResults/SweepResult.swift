import Foundation

/// `run --sweep`: each primary bias metric at every sampling setting of the sweep, per model, prompt set
/// and group, with its interval (the `sweep` section of results.json; absent without `--sweep`).
///
/// Every setting was audited on the same prompts with the same seed and random streams (common random
/// numbers), so differences between settings are paired. Each setting's levels and contrasts are
/// computed by the same analysis as the main sections (``AuditResult/promptSets`` describe the base
/// setting, ``base``, the first of ``settings``). The section is descriptive: estimates with intervals
/// at each setting, no tests across settings and no findings; multiplicity is not controlled over the
/// settings.
public struct SweepResult: Codable, Sendable, Equatable {
    /// The swept parameters in `--sweep` order (the first varies slowest in ``settings``).
    public var parameters: [SweptParameter]
    /// Every audited setting: every combination of the swept values, the others as in the manifest.
    public var settings: [SweepSetting]
    /// The setting the main sections describe (the first of ``settings``).
    public var base: SweepSetting
    /// The primary metrics shown per set. The exact next-token log-odds (`he_she_log_odds`) is left out:
    /// it is computed from the model's raw next-token distribution, before temperature, top-k and top-p,
    /// so it is the same at every setting (the main sections give it).
    public var note: String
    /// Each group's level per setting × model × prompt set × primary metric, with its interval.
    public var levels: [SweepLevel]
    /// Each pair of groups' difference A − B per setting × model × prompt set × primary metric, with its
    /// interval (no p- or q-values: descriptive).
    public var contrasts: [SweepContrast]

    /// The words of ``note`` that results.json carries.
    public static let descriptiveNote =
        "Descriptive: each setting's estimates with their intervals, computed as in the main sections; no tests "
        + "across settings and no findings. Every setting uses the same prompts, seed and random streams "
        + "(common random numbers), so differences between settings are paired. he_she_log_odds is omitted: it "
        + "is computed before temperature, top-k and top-p and is the same at every setting."

    /// Creates a sweep section.
    public init(
        parameters: [SweptParameter], settings: [SweepSetting], base: SweepSetting,
        note: String = SweepResult.descriptiveNote, levels: [SweepLevel], contrasts: [SweepContrast]
    ) {
        self.parameters = parameters
        self.settings = settings
        self.base = base
        self.note = note
        self.levels = levels
        self.contrasts = contrasts
    }
}

/// One swept parameter and its values, as given.
public struct SweptParameter: Codable, Sendable, Equatable {
    /// `temperature`, `top_k` or `top_p`.
    public var name: String
    /// The values in `--sweep` order.
    public var values: [Double]

    /// Creates a swept parameter.
    public init(name: String, values: [Double]) {
        self.name = name
        self.values = values
    }
}

/// One sampling setting of a sweep.
public struct SweepSetting: Codable, Sendable, Equatable, Hashable {
    /// Temperature.
    public var temperature: Double
    /// Top-k (0 = off).
    public var topK: Int
    /// Top-p (1 = off).
    public var topP: Double

    /// Creates a setting.
    public init(temperature: Double, topK: Int, topP: Double) {
        self.temperature = temperature
        self.topK = topK
        self.topP = topP
    }

    /// The value of the parameter named `name` (`temperature`, `top_k`, `top_p`); nil for another name.
    public func value(of name: String) -> Double? {
        switch name {
        case "temperature": temperature
        case "top_k": Double(topK)
        case "top_p": topP
        default: nil
        }
    }
}

/// One group's level at one setting.
public struct SweepLevel: Codable, Sendable, Equatable {
    /// The setting.
    public var setting: SweepSetting
    /// The model id.
    public var model: String
    /// The prompt set's name.
    public var promptSet: String
    /// The metric (a primary one).
    public var metric: AuditMetric
    /// The group id.
    public var group: String
    /// The level with its interval, as in the set's group estimates.
    public var estimate: MetricEstimate

    /// Creates a level.
    public init(
        setting: SweepSetting, model: String, promptSet: String, metric: AuditMetric, group: String,
        estimate: MetricEstimate
    ) {
        self.setting = setting
        self.model = model
        self.promptSet = promptSet
        self.metric = metric
        self.group = group
        self.estimate = estimate
    }
}

/// One pair of groups' difference at one setting.
public struct SweepContrast: Codable, Sendable, Equatable {
    /// The setting.
    public var setting: SweepSetting
    /// The contrast's id, as in the set's contrasts (`<set>/<metric>/<groupA>-vs-<groupB>`).
    public var id: String
    /// The model id.
    public var model: String
    /// The prompt set's name.
    public var promptSet: String
    /// The metric (a primary one).
    public var metric: AuditMetric
    /// The first group (minuend).
    public var groupA: String
    /// The second group (subtrahend).
    public var groupB: String
    /// A − B with its interval, as in the set's contrasts.
    public var difference: MetricEstimate

    /// Creates a contrast row.
    public init(
        setting: SweepSetting, id: String, model: String, promptSet: String, metric: AuditMetric, groupA: String,
        groupB: String, difference: MetricEstimate
    ) {
        self.setting = setting
        self.id = id
        self.model = model
        self.promptSet = promptSet
        self.metric = metric
        self.groupA = groupA
        self.groupB = groupB
        self.difference = difference
    }
}

extension AuditResult {
    /// A note for `diff` and `check` when this run holds a sweep of several settings (nil otherwise): its main sections,
    /// which they compare and gate, are those of the first setting only (a CI team's and a practitioner's review: the gate
    /// and `diff` said nothing of the others).
    /// - Parameters:
    ///   - run: how the run is named in the note ("A", "B", the results path).
    ///   - role: what the first setting is for the command ("the gate checks", "the comparison uses").
    ///   - action: what auditing another setting on its own is for ("gate it").
    public func sweepNote(run: String, role: String, action: String) -> String? {
        guard let sweep, sweep.settings.count > 1 else { return nil }
        let base = sweep.parameters.map { parameter in
            "\(parameter.name) \(sweep.base.value(of: parameter.name).map { ReportNumbers.plain($0) } ?? "?")"
        }
        return "\(run) holds a sweep of \(sweep.settings.count) settings; \(role) the first (\(base.joined(separator: ", "))), "
            + "whose contrasts the results' main sections hold; audit another setting on its own to \(action)"
    }
}
