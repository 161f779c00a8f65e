import AuditResults

extension ReportViewModel {
    /// One row per model with a speed record, in manifest order (the seed notebook's speed comparison); none for an
    /// analysis of completions (`analyze`), which generated nothing: its records are zeros, not a speed.
    static func speedRows(_ result: AuditResult, context: ReportContext) -> [SpeedRowView] {
        guard result.manifest.source == nil else { return [] }
        let style = context.words.numbers
        let speeds = (result.timing.models ?? []).sorted { context.modelIndex($0.model) < context.modelIndex($1.model) }
        return speeds.map { speed in
            SpeedRowView(
                model: context.escaping.text(speed.model),
                colorClass: ForestPlot.colorClass(context.modelIndex(speed.model)),
                completions: context.count(speed.completions),
                tokens: speed.generatedTokens.map { context.count($0) } ?? ReportNumbers.missing,
                seconds: ReportNumbers.duration(speed.seconds, style: style),
                tokensPerSecond: speed.tokensPerSecond.map { ReportNumbers.groupedFixed($0, decimals: 1, style: style) }
                    ?? (speed.generatedTokens == nil && speed.completions > 0 ? ReportNumbers.missing
                        : context.sectionWords.nothingGenerated),
                peakMemory: speed.peakResidentBytes.map {
                    ReportNumbers.count(Int((Double($0) / 1_048_576).rounded()), style: style) + " MiB"
                } ?? ReportNumbers.missing)
        }
    }

    /// The resumed-run note (when any model reused stored completions) and how memory is measured.
    static func speedNotes(_ result: AuditResult, context: ReportContext) -> [String] {
        guard result.manifest.source == nil, let speeds = result.timing.models, !speeds.isEmpty else { return [] }
        var notes: [String] = []
        let resumed = speeds.filter(\.isResumed).map { context.escaping.text($0.model) }
        if !resumed.isEmpty { notes.append(context.sectionWords.resumedNote(resumed)) }
        notes.append(context.sectionWords.memoryNote)
        return notes
    }
}
