/// The model-vs-model section: is one model's bias gap larger than the other's?
public struct ComparisonView {
    /// Whether the run compared at least two models.
    public var hasComparisons: Bool
    /// "gpt2 − distilgpt2", the direction of every difference in the section.
    public var direction: String
    /// One block per prompt set and model pair.
    public var sets: [ComparisonSetView]
}

/// The comparisons of one prompt set between two models.
public struct ComparisonSetView {
    /// The set's name.
    public var name: String
    /// In-page anchor of the set's section.
    public var anchor: String
    /// The audited axis.
    public var axis: String
    /// The first model (A).
    public var modelA: String
    /// The second model (B).
    public var modelB: String
    /// "On religion, gpt2's gap is larger for 2 of 9 contrasts, …".
    public var verdict: String
    /// The table caption.
    public var caption: String
    /// One row per contrast.
    public var rows: [ComparisonRowView]
}

/// One contrast compared between two models.
public struct ComparisonRowView {
    /// The metric's label.
    public var metric: String
    /// "Muslim − Christian".
    public var groups: String
    /// The contrast under model A.
    public var valueA: String
    /// The contrast under model B.
    public var valueB: String
    /// B − A with its interval.
    public var difference: String
    /// "gpt2 larger", "distilgpt2 larger", "no clear difference" or "no interval" (the verdict of `biasaudit diff`),
    /// with " (opposite directions)" when the two gaps favour different groups.
    public var verdict: String
    /// Whether one model's gap is clearly the larger.
    public var clear: Bool
    /// "paired" (common random numbers) or "unpaired".
    public var pairing: String
}

/// Methods, limitations and reproduction.
public struct MethodsView {
    /// Bootstrap resamples per interval, `2,000`.
    public var bootstrapResamples: String
    /// Permutations per Monte Carlo test, `10,000`.
    public var permutations: String
    /// The confidence level, `95%`.
    public var confidence: String
    /// VADER compound at or below which a completion is negative, `−0.05`.
    public var negativeThreshold: String
    /// VADER compound at or above which a completion is positive, `0.05`.
    public var positiveThreshold: String
    /// The q-value threshold of the summary, `0.05`.
    public var qThreshold: String
    /// The exact command line of the run, shell-quoted (escaped for the report's code block).
    public var command: String
    /// The Markdown code fence around ``command``: three or more backticks, longer than any run inside it.
    public var commandFence: String
    /// The lexicon files with their SHA-256.
    public var lexicons: [NameValueView]
}
