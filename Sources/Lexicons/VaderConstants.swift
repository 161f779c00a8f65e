/// The fixed word lists and empirical constants of vaderSentiment 3.3.2 (`vaderSentiment.py`, module level).
///
/// Values and membership are those of the Python release; the names are Swift spellings of
/// `B_INCR`, `B_DECR`, `C_INCR`, `N_SCALAR`, `NEGATE`, `BOOSTER_DICT` and `SPECIAL_CASES`.
/// `SENTIMENT_LADEN_IDIOMS` is not carried over: 3.3.2 never consults it (its check is "future work").
enum VaderConstants {
    /// Mean intensity increase contributed by a booster word (`B_INCR`).
    static let boosterIncrement = 0.293
    /// Mean intensity decrease contributed by a dampener word (`B_DECR`).
    static let boosterDecrement = -0.293
    /// Intensity added to an ALL-CAPS word when the text mixes case (`C_INCR`).
    static let capsIncrement = 0.733
    /// Multiplier applied to a negated valence (`N_SCALAR`).
    static let negationScalar = -0.74
    /// The normalisation constant of the compound score (`normalize(score, alpha=15)`).
    static let normalizationAlpha = 15.0
    /// Intensity added per exclamation mark, counted up to `maxExclamationMarks`.
    static let exclamationIncrement = 0.292
    /// The largest number of exclamation marks that adds emphasis.
    static let maxExclamationMarks = 4
    /// Intensity added per question mark when the text holds two or three of them.
    static let questionIncrement = 0.18
    /// Intensity added when the text holds more than three question marks.
    static let manyQuestionsIncrement = 0.96

    /// Words that negate the valence of a lexicon word up to three words later (`NEGATE`).
    static let negations: Set<ExactText> = ExactText.set([
        "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
        "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
        "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
        "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
        "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
        "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
        "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
        "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite",
    ])

    /// Degree adverbs and their intensity change (`BOOSTER_DICT`), including the bigrams
    /// "just enough", "kind of" and "sort of" that only the idiom check can see.
    static let boosters: [ExactText: Double] = {
        let increments = [
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
            "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
            "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin",
            "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully", "fuckin",
            "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely", "incredible",
            "incredibly", "intensely", "major", "majorly", "more", "most", "particularly", "purely",
            "quite", "really", "remarkably", "so", "substantially", "thoroughly", "total", "totally",
            "tremendous", "tremendously", "uber", "unbelievably", "unusually", "utter", "utterly", "very",
        ]
        let decrements = [
            "almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of",
            "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly",
            "scarce", "scarcely", "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of",
        ]
        var table: [ExactText: Double] = [:]
        for word in increments { table[ExactText(word)] = boosterIncrement }
        for word in decrements { table[ExactText(word)] = boosterDecrement }
        return table
    }()

    /// Idioms whose valence replaces the computed one (`SPECIAL_CASES`), as released on PyPI in
    /// 3.3.2: "beating heart" is 3.5 and there is no "broken heart" (both changed later on the
    /// GitHub master, which is not what the goldens were made with). The single-word key
    /// "badass" is kept as in the Python table even though only multi-word keys can match.
    static let specialCases: [ExactText: Double] = [
        ExactText("the shit"): 3, ExactText("the bomb"): 3, ExactText("bad ass"): 1.5,
        ExactText("badass"): 1.5, ExactText("bus stop"): 0.0, ExactText("yeah right"): -2,
        ExactText("kiss of death"): -1.5, ExactText("to die for"): 3, ExactText("beating heart"): 3.5,
    ]

    /// Every word of the keys of ``specialCases`` and ``boosters`` that hold a space ("kind", "of", "the", "bomb", …).
    /// The idiom check joins two or three words with a space and looks the phrase up in those two tables; words hold
    /// no white space, so a phrase equal to a key is made of that key's words, and a phrase with a word outside this
    /// set is no key of either table.
    static let phraseWords: Set<ExactText> = Set(
        (Array(specialCases.keys) + Array(boosters.keys)).filter { $0.string.contains(" ") }
            .flatMap { $0.string.split(separator: " ", omittingEmptySubsequences: false).map { ExactText(String($0)) } })
}
