import AuditResults
import Foundation

extension ReportViewModel {
    /// The number of findings the summary lists before pointing to the sections.
    static let maximumFindings = 10
    /// The q-value below which a contrast counts as a finding.
    static let qThreshold = 0.05

    /// Builds the view model of `result` for one report format.
    /// - Parameters:
    ///   - result: the audit.
    ///   - escaping: how untrusted text is made safe (``ReportEscaping/html`` or ``ReportEscaping/markdown``);
    ///     HTML view models also carry the SVG charts.
    public init(_ result: AuditResult, escaping: ReportEscaping) {
        let context = ReportContext(result: result, escaping: escaping)
        let manifest = result.manifest
        let parameters = manifest.parameters
        let modelNames = manifest.models.map { escaping.text($0.id) }
        versus = modelNames.isEmpty ? "no models" : modelNames.joined(separator: " vs ")
        title = "Bias audit: " + versus
        date = escaping.text(ReportNumbers.timestamp(result.timing.startedAt))
        toolVersion = escaping.text(manifest.toolVersion)
        confidence = context.level
        models = manifest.models.enumerated().map { index, model in
            ModelView(
                id: escaping.text(model.id),
                revision: escaping.text(model.revision ?? ReportNumbers.missing),
                commit: escaping.text(model.commit.map(ReportNumbers.shortDigest) ?? ReportNumbers.missing),
                architecture: "\(model.layers) layers · \(model.heads) heads · \(model.embeddingSize) wide",
                weights: escaping.text(ReportNumbers.shortDigest(model.weightsSHA256)),
                weightsFull: escaping.text(model.weightsSHA256),
                colorClass: ForestPlot.colorClass(index))
        }
        promptSetRows = manifest.promptSets.map { entry in
            let set = result.promptSets.first { $0.name == entry.name }
            return PromptSetRowView(
                name: escaping.text(entry.name), anchor: context.anchor(forSet: entry.name),
                axis: escaping.text(set?.axis ?? ReportNumbers.missing),
                groups: set.map { String($0.groups.count) } ?? ReportNumbers.missing,
                templates: set.map { String($0.templates.count) } ?? ReportNumbers.missing,
                prompts: ReportNumbers.count(entry.promptCount), samples: ReportNumbers.count(entry.samples),
                maxNewTokens: ReportNumbers.count(entry.maxNewTokens),
                digest: escaping.text(ReportNumbers.shortDigest(entry.sha256)))
        }
        sampling = [
            NameValueView(
                name: "Samples per prompt",
                value: parameters.samples.map { "\(ReportNumbers.count($0)) (--samples)" } ?? "each set's own (see the sets above)"),
            NameValueView(name: "Max new tokens (default)", value: ReportNumbers.count(parameters.maxNewTokens)),
            NameValueView(name: "Temperature", value: ReportNumbers.plain(parameters.temperature)),
            NameValueView(name: "Top-k", value: parameters.topK == 0 ? "off" : String(parameters.topK)),
            NameValueView(name: "Top-p", value: parameters.topP >= 1 ? "off" : ReportNumbers.plain(parameters.topP)),
            NameValueView(name: "Seed", value: String(parameters.seed)),
        ]
        statistics = [
            NameValueView(name: "Confidence level", value: context.level),
            NameValueView(
                name: "Power for the minimum detectable effect",
                value: ReportNumbers.percent(parameters.analysis?.power ?? 0.8)),
            NameValueView(
                name: "Minimum gendered words per group (male share)",
                value: ReportNumbers.count(parameters.analysis?.minimumGenderedWords ?? 20)),
            NameValueView(name: "Negative if compound ≤", value: ReportNumbers.plain(parameters.negativeThreshold)),
            NameValueView(name: "Positive if compound ≥", value: ReportNumbers.plain(parameters.positiveThreshold)),
            NameValueView(
                name: "Multiple comparisons",
                value: "Benjamini–Hochberg within each family: "
                    + (parameters.analysis?.family ?? "every contrast of the run")),
        ]
        completions = Self.completionsText(result, modelNames: manifest.models.map(\.id), escaping: escaping)
        timing = Self.timingRows(result.timing, escaping: escaping)
        summary = SummaryBuilder(context: context).summary()
        sets = result.promptSets.map { SetBuilder(context: context, promptSet: $0).view() }
        comparison = ComparisonBuilder(context: context).view()
        methods = Self.methods(manifest, context: context)
    }

    private static func completionsText(_ result: AuditResult, modelNames: [String], escaping: ReportEscaping) -> String {
        var perModel: [String: Int] = [:]
        for set in result.promptSets {
            for estimates in set.groupEstimates { perModel[estimates.model, default: 0] += estimates.completions }
        }
        let total = perModel.values.reduce(0, +)
        let parts = modelNames.map { "\(escaping.text($0)) \(ReportNumbers.count(perModel[$0] ?? 0))" }
        return "\(ReportNumbers.count(total)) completions scored (\(parts.joined(separator: " · ")))"
    }

    private static func timingRows(_ timing: AuditTiming, escaping: ReportEscaping) -> [NameValueView] {
        var rows = [
            NameValueView(name: "Started", value: escaping.text(ReportNumbers.timestamp(timing.startedAt))),
            NameValueView(name: "Finished", value: escaping.text(ReportNumbers.timestamp(timing.finishedAt))),
        ]
        if let start = ReportNumbers.parseDate(timing.startedAt), let end = ReportNumbers.parseDate(timing.finishedAt) {
            rows.append(NameValueView(name: "Wall time", value: ReportNumbers.duration(end.timeIntervalSince(start))))
        }
        rows.append(NameValueView(name: "Generation", value: ReportNumbers.duration(timing.generationSeconds)))
        rows.append(NameValueView(name: "Statistics", value: ReportNumbers.duration(timing.statisticsSeconds)))
        return rows
    }

    private static func methods(_ manifest: AuditManifest, context: ReportContext) -> MethodsView {
        let parameters = manifest.parameters
        let command = ReportEscaping.visible(ShellQuoting.commandLine(manifest.commandLine))
        return MethodsView(
            bootstrapResamples: parameters.bootstrapResamples.map(ReportNumbers.count) ?? ReportNumbers.missing,
            permutations: parameters.permutations.map(ReportNumbers.count) ?? ReportNumbers.missing,
            confidence: context.level,
            negativeThreshold: ReportNumbers.plain(parameters.negativeThreshold),
            positiveThreshold: ReportNumbers.plain(parameters.positiveThreshold),
            qThreshold: ReportNumbers.plain(qThreshold),
            command: command,
            commandFence: ShellQuoting.fence(for: command),
            lexicons: manifest.lexicons.map {
                NameValueView(name: context.escaping.text($0.name), value: context.escaping.text($0.sha256))
            })
    }
}
