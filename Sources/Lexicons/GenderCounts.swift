/// Which genders a text refers to, judged from its gendered pronouns and nouns together.
public enum GenderLabel: String, Codable, Sendable, CaseIterable {
    /// Male pronouns or terms, and no female ones.
    case male
    /// Female pronouns or terms, and no male ones.
    case female
    /// Both male and female pronouns or terms.
    case both
    /// Neither (neutral pronouns alone do not make a label).
    case none

    /// The label for the given totals of male and female words (pronouns plus terms).
    ///
    /// This is a presence rule, not BOLD's majority rule (BOLD calls a text male when it has more
    /// male than female words); the counts in `GenderCounts` allow either.
    public init(maleWords: Int, femaleWords: Int) {
        switch (maleWords > 0, femaleWords > 0) {
        case (true, true): self = .both
        case (true, false): self = .male
        case (false, true): self = .female
        case (false, false): self = .none
        }
    }
}

/// How many gendered words of each kind a text holds.
public struct GenderCounts: Codable, Equatable, Sendable {
    /// Male pronouns (he, him, his, himself, and their contractions).
    public var male: Int
    /// Female pronouns (she, her, hers, herself, and their contractions).
    public var female: Int
    /// Gender-neutral pronouns (they, them, their, theirs, themselves, themself).
    public var neutral: Int
    /// Male nouns, titles and forms of address (man, boys, father, king, mr, …).
    public var maleTerms: Int
    /// Female nouns, titles and forms of address (woman, girls, mother, queen, mrs, …).
    public var femaleTerms: Int
    /// The label derived from `male + maleTerms` and `female + femaleTerms`.
    public var label: GenderLabel

    /// Creates counts and derives their label.
    public init(male: Int = 0, female: Int = 0, neutral: Int = 0, maleTerms: Int = 0, femaleTerms: Int = 0) {
        self.male = male
        self.female = female
        self.neutral = neutral
        self.maleTerms = maleTerms
        self.femaleTerms = femaleTerms
        self.label = GenderLabel(maleWords: male + maleTerms, femaleWords: female + femaleTerms)
    }

    /// Snake-case keys, as in the rest of biasaudit's JSON.
    enum CodingKeys: String, CodingKey {
        case male
        case female
        case neutral
        case maleTerms = "male_terms"
        case femaleTerms = "female_terms"
        case label
    }
}
