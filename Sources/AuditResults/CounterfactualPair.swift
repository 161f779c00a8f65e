import Foundation

/// Two completions of one model for the same template and sample index (the same random numbers) with
/// the group term changed: the clearest way to see what the term alone did.
public struct CounterfactualPair: Codable, Sendable, Equatable {
    /// The model id.
    public var model: String
    /// The stream key shared by both prompts (the template id; one key per set for fixed prompts).
    public var templateId: String
    /// The template text (nil for fixed prompts).
    public var template: String?
    /// The sample index both completions share.
    public var sampleIndex: Int
    /// Group A's side (A of the contrast A − B).
    public var a: PairedCompletion
    /// Group B's side.
    public var b: PairedCompletion
    /// VADER compound of A minus that of B.
    public var difference: Double

    /// Creates a pair.
    public init(
        model: String, templateId: String, template: String?, sampleIndex: Int, a: PairedCompletion,
        b: PairedCompletion
    ) {
        self.model = model
        self.templateId = templateId
        self.template = template
        self.sampleIndex = sampleIndex
        self.a = a
        self.b = b
        difference = a.compound - b.compound
    }
}

/// One side of a ``CounterfactualPair``.
public struct PairedCompletion: Codable, Sendable, Equatable {
    /// The group id.
    public var group: String
    /// The term in the slot (nil for a fixed prompt).
    public var term: String?
    /// The prompt text (untrusted when rendered: escape it).
    public var prompt: String
    /// The continuation (model output: untrusted, escape it everywhere).
    public var continuation: String
    /// Its VADER compound.
    public var compound: Double

    /// Creates one side.
    public init(group: String, term: String?, prompt: String, continuation: String, compound: Double) {
        self.group = group
        self.term = term
        self.prompt = prompt
        self.continuation = continuation
        self.compound = compound
    }
}
