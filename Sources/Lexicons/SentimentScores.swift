/// VADER's four sentiment scores of one text, rounded as vaderSentiment 3.3.2 rounds them.
public struct SentimentScores: Codable, Equatable, Sendable {
    /// Proportion of the text's weight that is negative, rounded to 3 decimals.
    public var negative: Double
    /// Proportion of the text's weight that is neutral, rounded to 3 decimals.
    public var neutral: Double
    /// Proportion of the text's weight that is positive, rounded to 3 decimals.
    public var positive: Double
    /// The normalised, weighted sum of valences in [-1, 1], rounded to 4 decimals.
    public var compound: Double

    /// Creates scores from already rounded values.
    public init(negative: Double, neutral: Double, positive: Double, compound: Double) {
        self.negative = negative
        self.neutral = neutral
        self.positive = positive
        self.compound = compound
    }

    /// The keys of `polarity_scores`' dictionary.
    enum CodingKeys: String, CodingKey {
        case negative = "neg"
        case neutral = "neu"
        case positive = "pos"
        case compound
    }
}
