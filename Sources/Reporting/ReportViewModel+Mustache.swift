import Mustache

// Mustache reads a value's fields through `MustacheParent.child(named:)` when the value provides it,
// and through a `Mirror` otherwise. A Mirror per lookup dominated the rendering of large reports (a
// 38 MB results.json), so every report view lists its template keys once, as key paths.
// `MustacheKeysTests` checks that each list names every stored property: a field missing here would be
// invisible to the templates.

/// A view whose template keys are listed as key paths. Printed whole (`{{.}}` inside its own section, or at
/// a template's top level) a view renders as nothing: its fields are what a template prints, and the
/// library's fallback, `String(describing:)`, put the Swift value's debug dump (every field, model outputs
/// included) into a user's template.
protocol MustacheKeyed: MustacheParent, MustacheCustomRenderable {
    /// Every stored property, by its template key (the property name).
    static var mustacheKeys: [String: PartialKeyPath<Self>] { get }
}

extension MustacheKeyed {
    /// A view's own text: none (see `MustacheKeyed`).
    public var renderText: String { "" }
    /// A view is a value, never Mustache's null.
    public var isNull: Bool { false }

    /// The value of the property `name`, with an optional unwrapped as a Mirror lookup would (nil for
    /// `.none`), or nil when the view has no such property.
    func keyedChild(named name: String) -> Any? {
        // Bounded work (`RenderBudget`): once the rendering's budget is spent, nothing is found.
        if let budget = RenderBudget.current, !budget.spend() { return nil }
        guard let path = Self.mustacheKeys[name] else { return nil }
        let raw = self[keyPath: path]
        let value: Any?
        if let optional = raw as? AnyOptionalValue { value = optional.wrappedValue } else { value = raw }
        // Bounded text (`RenderBudget.charge`): a list repeats its section's body once per item.
        if let budget = RenderBudget.current, let found = value, !budget.charge(found, named: name) { return nil }
        return value
    }
}

/// An `Optional` seen through `Any`.
private protocol AnyOptionalValue {
    var wrappedValue: Any? { get }
}

extension Optional: AnyOptionalValue {
    fileprivate var wrappedValue: Any? { map { $0 as Any } }
}


extension ReportViewModel: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ReportViewModel>] = [
        "lang": \ReportViewModel.lang,
        "title": \ReportViewModel.title,
        "versus": \ReportViewModel.versus,
        "comparisonVersus": \ReportViewModel.comparisonVersus,
        "date": \ReportViewModel.date,
        "toolVersion": \ReportViewModel.toolVersion,
        "confidence": \ReportViewModel.confidence,
        "models": \ReportViewModel.models,
        "promptSetRows": \ReportViewModel.promptSetRows,
        "sampling": \ReportViewModel.sampling,
        "statistics": \ReportViewModel.statistics,
        "completions": \ReportViewModel.completions,
        "completionsDigest": \ReportViewModel.completionsDigest,
        "completionsDigestFull": \ReportViewModel.completionsDigestFull,
        "timing": \ReportViewModel.timing,
        "speed": \ReportViewModel.speed,
        "hasSpeed": \ReportViewModel.hasSpeed,
        "speedNotes": \ReportViewModel.speedNotes,
        "injectedBiases": \ReportViewModel.injectedBiases,
        "hasInjectedBiases": \ReportViewModel.hasInjectedBiases,
        "sourceNotes": \ReportViewModel.sourceNotes,
        "hasSourceNotes": \ReportViewModel.hasSourceNotes,
        "nonDefaultSettings": \ReportViewModel.nonDefaultSettings,
        "nonDefaultSettingsText": \ReportViewModel.nonDefaultSettingsText,
        "hasNonDefaultSettings": \ReportViewModel.hasNonDefaultSettings,
        "summary": \ReportViewModel.summary,
        "sweep": \ReportViewModel.sweep,
        "glance": \ReportViewModel.glance,
        "sets": \ReportViewModel.sets,
        "comparison": \ReportViewModel.comparison,
        "methods": \ReportViewModel.methods,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension NameValueView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<NameValueView>] = [
        "name": \NameValueView.name,
        "value": \NameValueView.value,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ModelView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ModelView>] = [
        "id": \ModelView.id,
        "spec": \ModelView.spec,
        "source": \ModelView.source,
        "revision": \ModelView.revision,
        "commit": \ModelView.commit,
        "architecture": \ModelView.architecture,
        "weights": \ModelView.weights,
        "weightsFull": \ModelView.weightsFull,
        "modelFiles": \ModelView.modelFiles,
        "colorClass": \ModelView.colorClass,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension SpeedRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<SpeedRowView>] = [
        "model": \SpeedRowView.model,
        "colorClass": \SpeedRowView.colorClass,
        "completions": \SpeedRowView.completions,
        "tokens": \SpeedRowView.tokens,
        "seconds": \SpeedRowView.seconds,
        "tokensPerSecond": \SpeedRowView.tokensPerSecond,
        "peakMemory": \SpeedRowView.peakMemory,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension PromptSetRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<PromptSetRowView>] = [
        "name": \PromptSetRowView.name,
        "anchor": \PromptSetRowView.anchor,
        "axis": \PromptSetRowView.axis,
        "groups": \PromptSetRowView.groups,
        "templates": \PromptSetRowView.templates,
        "prompts": \PromptSetRowView.prompts,
        "samples": \PromptSetRowView.samples,
        "maxNewTokens": \PromptSetRowView.maxNewTokens,
        "digest": \PromptSetRowView.digest,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension SummaryView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<SummaryView>] = [
        "headline": \SummaryView.headline,
        "hasFindings": \SummaryView.hasFindings,
        "findings": \SummaryView.findings,
        "more": \SummaryView.more,
        "modelSentences": \SummaryView.modelSentences,
        "hasModelSentences": \SummaryView.hasModelSentences,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension FindingView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<FindingView>] = [
        "number": \FindingView.number,
        "sentence": \FindingView.sentence,
        "set": \FindingView.set,
        "anchor": \FindingView.anchor,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension GlanceView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<GlanceView>] = [
        "caption": \GlanceView.caption,
        "note": \GlanceView.note,
        "columns": \GlanceView.columns,
        "models": \GlanceView.models,
        "hasVerdict": \GlanceView.hasVerdict,
        "verdictHeader": \GlanceView.verdictHeader,
        "rows": \GlanceView.rows,
        "hasRows": \GlanceView.hasRows,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension GlanceRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<GlanceRowView>] = [
        "set": \GlanceRowView.set,
        "anchor": \GlanceRowView.anchor,
        "firstOfSet": \GlanceRowView.firstOfSet,
        "languageCaution": \GlanceRowView.languageCaution,
        "metric": \GlanceRowView.metric,
        "groups": \GlanceRowView.groups,
        "groupsLanguage": \GlanceRowView.groupsLanguage,
        "cells": \GlanceRowView.cells,
        "verdict": \GlanceRowView.verdict,
        "clear": \GlanceRowView.clear,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension GlanceCellView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<GlanceCellView>] = [
        "value": \GlanceCellView.value,
        "estimate": \GlanceCellView.estimate,
        "note": \GlanceCellView.note,
        "templatesNote": \GlanceCellView.templatesNote,
        "finding": \GlanceCellView.finding,
        "insufficient": \GlanceCellView.insufficient,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension SetView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<SetView>] = [
        "name": \SetView.name,
        "anchor": \SetView.anchor,
        "estimatesCaptionID": \SetView.estimatesCaptionID,
        "contrastsCaptionID": \SetView.contrastsCaptionID,
        "examplesCaptionID": \SetView.examplesCaptionID,
        "pairsCaptionID": \SetView.pairsCaptionID,
        "axis": \SetView.axis,
        "description": \SetView.description,
        "source": \SetView.source,
        "templates": \SetView.templates,
        "hasTemplates": \SetView.hasTemplates,
        "mixedUnits": \SetView.mixedUnits,
        "textLanguage": \SetView.textLanguage,
        "textNotEnglish": \SetView.textNotEnglish,
        "descriptionLanguage": \SetView.descriptionLanguage,
        "sourceLanguage": \SetView.sourceLanguage,
        "descriptionForeign": \SetView.descriptionForeign,
        "sourceForeign": \SetView.sourceForeign,
        "spanishTemplates": \SetView.spanishTemplates,
        "groups": \SetView.groups,
        "estimates": \SetView.estimates,
        "charts": \SetView.charts,
        "hasCharts": \SetView.hasCharts,
        "contrastCaption": \SetView.contrastCaption,
        "contrasts": \SetView.contrasts,
        "hasContrasts": \SetView.hasContrasts,
        "familyNote": \SetView.familyNote,
        "designNote": \SetView.designNote,
        "examples": \SetView.examples,
        "hasExamples": \SetView.hasExamples,
        "pairsCaption": \SetView.pairsCaption,
        "pairs": \SetView.pairs,
        "hasPairs": \SetView.hasPairs,
        "labour": \SetView.labour,
        "hasLabour": \SetView.hasLabour,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension GroupView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<GroupView>] = [
        "label": \GroupView.label,
        "labelLanguage": \GroupView.labelLanguage,
        "id": \GroupView.id,
        "terms": \GroupView.terms,
        "prompts": \GroupView.prompts,
        "someTerms": \GroupView.someTerms,
        "noTerms": \GroupView.noTerms,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension EstimateTableView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<EstimateTableView>] = [
        "caption": \EstimateTableView.caption,
        "columns": \EstimateTableView.columns,
        "rows": \EstimateTableView.rows,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension EstimateRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<EstimateRowView>] = [
        "group": \EstimateRowView.group,
        "groupLanguage": \EstimateRowView.groupLanguage,
        "model": \EstimateRowView.model,
        "firstOfGroup": \EstimateRowView.firstOfGroup,
        "n": \EstimateRowView.n,
        "cells": \EstimateRowView.cells,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension EstimateCellView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<EstimateCellView>] = [
        "value": \EstimateCellView.value,
        "interval": \EstimateCellView.interval,
        "hasInterval": \EstimateCellView.hasInterval,
        "insufficient": \EstimateCellView.insufficient,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ContrastRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ContrastRowView>] = [
        "metric": \ContrastRowView.metric,
        "groups": \ContrastRowView.groups,
        "groupsLanguage": \ContrastRowView.groupsLanguage,
        "model": \ContrastRowView.model,
        "difference": \ContrastRowView.difference,
        "estimate": \ContrastRowView.estimate,
        "templatesNote": \ContrastRowView.templatesNote,
        "mde": \ContrastRowView.mde,
        "mdeReason": \ContrastRowView.mdeReason,
        "p": \ContrastRowView.p,
        "q": \ContrastRowView.q,
        "effect": \ContrastRowView.effect,
        "finding": \ContrastRowView.finding,
        "insufficient": \ContrastRowView.insufficient,
        "status": \ContrastRowView.status,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ExampleGroupView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ExampleGroupView>] = [
        "group": \ExampleGroupView.group,
        "groupLanguage": \ExampleGroupView.groupLanguage,
        "rows": \ExampleGroupView.rows,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ExampleRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ExampleRowView>] = [
        "model": \ExampleRowView.model,
        "kind": \ExampleRowView.kind,
        "compound": \ExampleRowView.compound,
        "prompt": \ExampleRowView.prompt,
        "continuation": \ExampleRowView.continuation,
        "cut": \ExampleRowView.cut,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ChartView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ChartView>] = [
        "title": \ChartView.title,
        "svg": \ChartView.svg,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension PairView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<PairView>] = [
        "model": \PairView.model,
        "groups": \PairView.groups,
        "groupsLanguage": \PairView.groupsLanguage,
        "place": \PairView.place,
        "template": \PairView.template,
        "difference": \PairView.difference,
        "a": \PairView.a,
        "b": \PairView.b,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension PairSideView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<PairSideView>] = [
        "group": \PairSideView.group,
        "groupLanguage": \PairSideView.groupLanguage,
        "compound": \PairSideView.compound,
        "prompt": \PairSideView.prompt,
        "continuation": \PairSideView.continuation,
        "cut": \PairSideView.cut,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension LabourView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<LabourView>] = [
        "model": \LabourView.model,
        "caption": \LabourView.caption,
        "captionID": \LabourView.captionID,
        "correlation": \LabourView.correlation,
        "rows": \LabourView.rows,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension LabourRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<LabourRowView>] = [
        "occupation": \LabourRowView.occupation,
        "group": \LabourRowView.group,
        "groupLanguage": \LabourRowView.groupLanguage,
        "womenShare": \LabourRowView.womenShare,
        "menShare": \LabourRowView.menShare,
        "maleShare": \LabourRowView.maleShare,
        "insufficient": \LabourRowView.insufficient,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ComparisonView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ComparisonView>] = [
        "shown": \ComparisonView.shown,
        "hasComparisons": \ComparisonView.hasComparisons,
        "direction": \ComparisonView.direction,
        "sets": \ComparisonView.sets,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ComparisonSetView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ComparisonSetView>] = [
        "name": \ComparisonSetView.name,
        "anchor": \ComparisonSetView.anchor,
        "axis": \ComparisonSetView.axis,
        "modelA": \ComparisonSetView.modelA,
        "modelB": \ComparisonSetView.modelB,
        "verdict": \ComparisonSetView.verdict,
        "caption": \ComparisonSetView.caption,
        "captionID": \ComparisonSetView.captionID,
        "rows": \ComparisonSetView.rows,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension ComparisonRowView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<ComparisonRowView>] = [
        "metric": \ComparisonRowView.metric,
        "groups": \ComparisonRowView.groups,
        "groupsLanguage": \ComparisonRowView.groupsLanguage,
        "valueA": \ComparisonRowView.valueA,
        "valueB": \ComparisonRowView.valueB,
        "difference": \ComparisonRowView.difference,
        "reasonA": \ComparisonRowView.reasonA,
        "reasonB": \ComparisonRowView.reasonB,
        "reasonDifference": \ComparisonRowView.reasonDifference,
        "q": \ComparisonRowView.q,
        "verdict": \ComparisonRowView.verdict,
        "clear": \ComparisonRowView.clear,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}

extension MethodsView: MustacheKeyed {
    static let mustacheKeys: [String: PartialKeyPath<MethodsView>] = [
        "confidence": \MethodsView.confidence,
        "servedModels": \MethodsView.servedModels,
        "unpairedModelPairs": \MethodsView.unpairedModelPairs,
        "everyPairUnpaired": \MethodsView.everyPairUnpaired,
        "pairedStreams": \MethodsView.pairedStreams,
        "copies": \MethodsView.copies,
        "copiesOnlyInSweep": \MethodsView.copiesOnlyInSweep,
        "copiesInSweepOnlyAt": \MethodsView.copiesInSweepOnlyAt,
        "fixedPromptsOnly": \MethodsView.fixedPromptsOnly,
        "someFixedPrompts": \MethodsView.someFixedPrompts,
        "suppliedCompletions": \MethodsView.suppliedCompletions,
        "mergedShards": \MethodsView.mergedShards,
        "pairingAssumed": \MethodsView.pairingAssumed,
        "onlyCopies": \MethodsView.onlyCopies,
        "power": \MethodsView.power,
        "alpha": \MethodsView.alpha,
        "noiseShare": \MethodsView.noiseShare,
        "minimumGenderedWords": \MethodsView.minimumGenderedWords,
        "minimumGenderedCompletions": \MethodsView.minimumGenderedCompletions,
        "minimumEvents": \MethodsView.minimumEvents,
        "cochranRule": \MethodsView.cochranRule,
        "noGenderedWordMinimum": \MethodsView.noGenderedWordMinimum,
        "oneGenderedWord": \MethodsView.oneGenderedWord,
        "oneGenderedCompletion": \MethodsView.oneGenderedCompletion,
        "oneTermSets": \MethodsView.oneTermSets,
        "unlentSingleTermSets": \MethodsView.unlentSingleTermSets,
        "narrowedSets": \MethodsView.narrowedSets,
        "languageFlagMissing": \MethodsView.languageFlagMissing,
        "languageFlagInCommand": \MethodsView.languageFlagInCommand,
        "negativeThreshold": \MethodsView.negativeThreshold,
        "positiveThreshold": \MethodsView.positiveThreshold,
        "qThreshold": \MethodsView.qThreshold,
        "mdeFamilyPower": \MethodsView.mdeFamilyPower,
        "mdeSmallDfPower": \MethodsView.mdeSmallDfPower,
        "summaryPairs": \MethodsView.summaryPairs,
        "command": \MethodsView.command,
        "commandFence": \MethodsView.commandFence,
        "lexicons": \MethodsView.lexicons,
    ]

    /// See ``MustacheKeyed/keyedChild(named:)``.
    public func child(named name: String) -> Any? { keyedChild(named: name) }
}
