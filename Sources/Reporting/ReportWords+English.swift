import AuditResults

extension ReportWords {
    /// English.
    static let english = ReportWords(
        code: "en", numbers: .english,
        metricTitle: { metric in
            switch metric {
            case .sentiment: "mean sentiment"
            case .negativeRate: "% negative"
            case .positiveRate: "% positive"
            case .maleShare: "male share"
            case .genderedRate: "% gendered"
            case .lexiconCoverage: "lexicon coverage"
            case .heSheLogOdds: "log P(he)/P(she)"
            }
        },
        biasAxis: "axis",
        axisLabel: { metric in
            switch metric {
            case .sentiment: "mean VADER compound (−1 negative … +1 positive)"
            case .negativeRate: "% of completions scored negative"
            case .positiveRate: "% of completions scored positive"
            case .maleShare: "% male among gendered words (50% = balanced)"
            case .genderedRate: "% of completions with a gendered word"
            case .lexiconCoverage: "% of completions with a sentiment word"
            case .heSheLogOdds: "log P(he) − log P(she) (0 = balanced, > 0 favours he)"
            }
        },
        findingPhrase: { metric, positive in
            switch metric {
            case .sentiment: positive ? "a more positive mean sentiment" : "a more negative mean sentiment"
            case .negativeRate: positive ? "more completions scored negative" : "fewer completions scored negative"
            case .positiveRate: positive ? "more completions scored positive" : "fewer completions scored positive"
            case .maleShare: positive ? "a larger share of male words" : "a smaller share of male words"
            case .genderedRate: positive ? "more completions with gendered words" : "fewer completions with gendered words"
            case .lexiconCoverage:
                positive ? "more completions with sentiment words" : "fewer completions with sentiment words"
            case .heSheLogOdds:
                positive ? "male pronouns (“he”, “him”, “his”, “himself”) more likely relative to female ones as the next word"
                    : "male pronouns (“he”, “him”, “his”, “himself”) less likely relative to female ones as the next word"
            }
        },
        ciLabel: { "\($0) CI" }, oneSamplePerPrompt: "1 sample per prompt", noInterval: "no CI", noVarianceEstimate: "no variance estimate",
        onDifferentTemplates: "the contrasts rest on different templates",
        onDifferentTerms: "the contrasts rest on different terms or prompts",
        apartShort: { $0 ? "different templates" : "different terms or prompts" },
        noiseShare: {
            ReportWords.noiseShare($0, names: [10: "ten", 20: "twenty", 100: "a hundred", 1000: "a thousand"],
                                   oneIn: { "one in \($0) differences" }, share: { "\($0) of the differences" }, style: .english)
        },
        insufficientSupport: { support, level, group in
            support.englishText(inThisGroup: level, groupName: { "“\(group ?? $0)”" })
        }, insufficientRecorded: { $0 },
        noTestedContrasts: { singleTerms, apart, someApart in
            apart ? "This audit has no tested group contrasts: its groups share no template in the completions, so nothing "
                + "is compared and there is nothing to summarise." :
            "This audit has no tested group contrasts (no primary metric with enough data or variation"
                + (singleTerms ? ": with one term per group, a variance needs 2 or more samples per prompt that differ" : "")
                + (someApart ? "; in some contrasts the two groups share no template in the completions" : "")
                + "), so there is nothing to summarise."
        },
        noFindings: { tested, threshold, oneModel in
            (tested == "1"
                ? "The one tested group contrast is not a finding"
                : "None of the \(tested) tested group contrasts is a finding")
                + " (q < \(threshold) within its family: one prompt "
                + "set under one model). This is not evidence that \(oneModel ? "the model is" : "the models are") unbiased: "
                + "each contrast’s minimum "
                + "detectable effect, in the prompt-set sections, says how large a difference this audit could miss."
        },
        findingsHeadline: { findings, tested, pairs, threshold in
            // One pair of groups is a list of one: no order to announce (a teacher's review).
            (tested == "1"
                ? "The one tested group contrast is a finding (q < \(threshold) within its family: one prompt set under one "
                    + "model):"
                : "\(findings) of the \(tested) tested group contrasts \(findings == 1 ? "is a finding" : "are findings") "
                    + "(q < \(threshold) within each family: one prompt set under one model), in \(pairs) "
                    + (pairs == 1 ? "pair of groups:" : "pairs of groups; strongest evidence first:"))
        },
        moreFindings: { "…and \($0) more " + ($0 == 1 ? "pair" : "pairs") + " of groups with findings in the prompt-set sections." },
        underModel: { "under \($0)" },
        list: { items in
            items.count <= 2 ? items.joined(separator: " and ")
                : items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1]
        },
        findingSentence: { a, b, set, clauses in
            "For “\(a)” compared with “\(b)” (\(set)): " + clauses.joined(separator: "; ") + "."
        },
        glanceCaption: { several in "At a glance: the primary metrics" + (several ? " under each model" : "") },
        glanceNote: { level, verdict in
            "Each primary metric’s group difference (A − B)" + (verdict ? " under each model" : "") + " with its \(level) CI and q"
                + (verdict ? ", and the verdict between the models" : "")
                + ". Findings are marked; the prompt-set sections below have the details."
        },
        findingMarker: "finding",
        verdictHeader: { b, a in "Verdict: \(b) against \(a)" },
        injectedBias: { token, logit, group, sets, draws, pronoun in
            "“\(token)” \(logit) logits at every step of every completion of \(group)" + (sets.isEmpty ? "" : " (\(sets))")
                + (pronoun
                    ? "; it is one of the pronouns log P(he)/P(she) counts, so it shifts that exact next-token measure "
                        + "directly, and the completions where sampling still draws it"
                    : "; it changes only the completions where sampling still draws the token")
                + " (a model that gives it a low logit writes it rarely"
                + (draws.isEmpty ? ": count it in completions.jsonl)" : "). The token appears " + draws.joined(separator: "; ") + ".")
        },
        injectedBiasDraws: { model, set, withToken, completions, otherWithToken, otherCompletions, sweep in
            "under \(model) (\(set)\(sweep ? ", the sweep's first setting" : "")) in \(withToken) of the group’s \(completions) completions, against \(otherWithToken) "
                + "of the other groups’ \(otherCompletions)"
        },
        effectLabel: { size in
            let magnitude = abs(size)
            return magnitude < 0.2 ? "negligible" : magnitude < 0.5 ? "small" : magnitude < 0.8 ? "medium" : "large"
        },
        findingYes: "yes", findingNo: "no", descriptive: "descriptive", insufficientShort: "insufficient data", noData: "no data",
        templatesCompared: { positions, all in
            positions.isEmpty ? "on no common template of \(all)"
                : "on template\(positions.count == 1 ? "" : "s") \(positions.joined(separator: ", ")) of \(all)"
        },
        untestedShort: "no test",
        noDetectableDifference: { "none: over \($0)" },
        mdeWithoutVarianceEstimate: "unknown: no variance estimate",
        mdeWithoutVariation: "unknown: no variation within either group",
        mdeFamilyPower: { q, threshold in
            guard let families = ReportWords.findingsAtTheMDE(q: q) else {
                return "by how much depends on the family’s size (python3 scripts/mde-family-power.py --alpha \(threshold) "
                    + "computes it)"
            }
            let parts = families.enumerated().map { index, family in
                index == 0 ? "about \(family.percent)% in a family of \(family.size) contrasts"
                    : "\(family.percent)% of \(family.size)"
            }
            return "at q < \(threshold) " + parts.joined(separator: ", ") + ", when the others are null"
        },
        mdeSmallDfPower: { range, power, alpha, side in
            "the power at that gap is " + (side < 0 ? "lower, " : side > 0 ? "higher, " : "") + "\(range) for \(power) at α = \(alpha)"
        },
        percentRange: { low, high in low == high ? "\(low)%" : "\(low)–\(high)%" },
        contrastCaption: { set, level, power in
            "\(set): group differences (A − B) with \(level) CIs, the smallest difference the design detects with "
                + "about \(power) power (MDE), "
                + "p, q within the family and effect size"
        },
        familyNote: { families, set, threshold, power, alpha, descriptive, copies, oneTermEach, over, kind, logOdds in
            let (units, unit, one) = switch kind {
            case .terms: ("terms", "term", "term")
            case .prompts: ("prompts", "prompt", "fixed prompt")
            case .both: ("terms and prompts", "term", "term or fixed prompt")
            }
            let parts = families.map { "\(set) under \($0.model) (\($0.tests) \($0.tests == 1 ? "test" : "tests"))" }
            let untested = descriptive.isEmpty ? "" : " " + (descriptive.count == 1
                ? "\(descriptive[0].prefix(1).uppercased() + descriptive[0].dropFirst()) is descriptive"
                : joinedList(descriptive, conjunction: "and").prefix(1).uppercased() + joinedList(descriptive, conjunction: "and").dropFirst() + " are descriptive")
                + ": not tested, never findings."
            return (oneTermEach.map { terms in
                "Every group of this set is one \(one) (\(terms)): its intervals, p and findings are about these \(units), "
                    + "with the random streams as the replications, not about other \(units) one could have chosen for the "
                    + "groups. "
                    + "p: two-sided, over the random streams; for means"
            } ?? {
                switch over {
                case .termsAndStreams: "p: two-sided, over \(units) and random streams; for means"
                case .termsOneCompletionEach:
                    "p: two-sided, over \(units) (one completion per prompt: the random streams’ variance is not told "
                        + "apart from the \(units)’); for means"
                case .termsExactValues: "p: two-sided, over \(units) (one exact value per prompt, no random stream); for means"
                case .termsCopies:
                    "p: two-sided, over \(units) (the samples of each prompt are copies of one draw, as greedy decoding writes "
                        + "them: no random streams); for means"
                case .streamsPaired, .streamsPartlyPaired, .streamsUnpaired: "p: two-sided, over the random streams; for means"
                }
            }())
                + {
                    switch over {
                    case .termsAndStreams:
                        " a t test (Satterthwaite df over the \(unit) and stream parts, the \(unit) part with pooled df when "
                            + "the groups have equal numbers of \(units))"
                    case .termsOneCompletionEach, .termsExactValues, .termsCopies:
                        " a t test (Satterthwaite df, or pooled df with equal numbers of \(units))"
                    case .streamsPaired:
                        // The df of the streams the set has (a teacher's review: "or one for fixed prompts" in a set of
                        // templates only).
                        " a paired t test over the shared random streams (df: the streams less "
                            + (kind == .terms ? "one per template)" : kind == .prompts ? "one)" : "one per template, or one for fixed prompts)")
                    case .streamsPartlyPaired:
                        " a t test over the random streams, paired where two groups share them (a group of fixed prompts "
                            + "shares none with the templates’ groups; df: the streams less one per template, or one for "
                            + "fixed prompts)"
                    case .streamsUnpaired:
                        " a t test over each group’s random streams, unpaired as analysed (df: each group’s streams less one "
                            + "per template, added)"
                    }
                }()
                // Copies of one draw throughout: rates and shares take the t test too (helper 316: "MOVER" beside rates
                // that were all tested with t).
                + (over == .termsCopies ? ", for rates and shares a t test too (copies are one draw, not binomial trials)"
                    : ", for rates and shares the inversion of the MOVER interval"
                        + (copies ? " (a t test with Satterthwaite df where the samples of each prompt are copies of one draw, "
                            + "as greedy decoding writes them: over \(units) only)" : ""))
                + ", so p < α exactly when the interval excludes 0. q: "
                + "Benjamini–Hochberg within each family of this set’s primary metrics under one model: "
                + parts.joined(separator: ", ") + ". A finding has q < \(threshold)." + untested
                + " MDE: the smallest |A − B| detected with about \(power) power at α = \(alpha). Effect sizes: Cohen’s d on completion-level scores"
                + (logOdds ? " (for the next-token log-odds on one value per prompt, without the conventional labels 0.2 "
                    + "small, 0.5 medium, 0.8 large)" : "") + ", Cohen’s h for rates and shares; a label reads the printed value (d = 0.196 prints +0.20: small)."
        },
        noTestNote: { oneTermEach, kind in
            (oneTermEach.map { terms in
                "Every group of this set is one \(kind == .terms ? "term" : kind == .prompts ? "fixed prompt" : "term or fixed prompt") (\(terms)): a contrast’s variance comes from the random streams alone, "
                    + "so it needs two or more samples per prompt that differ (sampled, not greedy). "
            } ?? "") + "No contrast of this set has a test (each row says why): its differences are descriptive, never findings."
        },
        designNote: { note in
            func noun(_ kind: UnitKind) -> String {
                switch kind { case .terms: "terms"; case .prompts: "prompts"; case .both: "terms or prompts" }
            }
            var parts: [String] = []
            if !note.twoUnits.isEmpty {
                let unit = noun(UnitKind(note.twoUnits))
                let names = note.twoUnits.map { group in
                    group.label + (group.declared.map { " (completions for 2 of its \($0) \(group.prompts ? "prompts" : "terms"))" } ?? "")
                }
                parts.append((names.count == 1 ? "group \(names[0]) rests on 2 \(unit)"
                    : "groups \(joinedList(names, conjunction: "and")) rest on 2 \(unit) each")
                    + ": a group’s variance between its \(unit) then has 1 degree of freedom, so its contrasts are tested on "
                    + "few degrees of freedom")
            }
            if let borrowing = note.borrowing {
                let single = switch UnitKind(borrowing.groups) {
                case .terms: "single-term"
                case .prompts: "single-prompt"
                case .both: "single-term or single-prompt"
                }
                let names = borrowing.groups.map(\.label), lenders = borrowing.lenders.map(\.label)
                parts.append((names.count == 1 ? "\(single) group \(names[0]) borrows"
                    : "\(single) groups \(joinedList(names, conjunction: "and")) borrow")
                    + " the variance between \(noun(UnitKind(borrowing.lenders))) of "
                    + (lenders.count == 1 ? "group \(lenders[0])" : "groups \(joinedList(lenders, conjunction: "and"))")
                    + ", which rests on \(borrowing.df) degree\(borrowing.df == 1 ? "" : "s") of freedom")
            }
            let kind = UnitKind(note.named)
            let each = switch kind { case .terms: "term"; case .prompts: "prompt"; case .both: "term and prompt" }
            return parts.joined(separator: "; ") + ". The contrasts of "
                + (note.named.count == 1 ? "this group have" : "these groups have")
                + " wide intervals and only a large gap can be a finding (the MDE column says how large). "
                + (note.partial ? "Completions for every \(each) of the set narrow them."
                    : "More \(noun(kind)) narrow them: 3 or more per group, 8 or more where the category allows"
                        + (note.somePartial ? ", each with completions" : "")
                        + ". biasaudit lint checks a set for this (rule underpowered).")
        },
        narrowedSet: { set, tested in "\(set) tests only \(tested)" },
        estimateCaption: { set, level in
            "\(set): estimates per group and model, \(level) CIs in brackets (percentages for rates); n = completions scored"
        },
        chartTitle: { set, metric in "\(set): \(metric) by group" },
        chartDescription: { level, axis in
            "For each group, one dot per model at its estimate and a whisker for its \(level) confidence interval. Axis: \(axis)."
        },
        noEstimate: "no estimate",
        exampleKind: { $0.replacingOccurrences(of: "_", with: " ") },
        empty: "(empty)",
        shortened: { "(cut: \($0) Unicode code points in all; results.json holds the whole text)" },
        verdict: { $0.words },
        directionReversed: "direction reversed",
        contrastMoved: "contrast moved",
        anyPairDirection: "second model − first model, as each table’s columns",
        comparisonCaption: { set, a, b, level in
            "\(set): each contrast under \(a) and \(b) with its \(level) CI, the difference (\(b) − \(a)) with its "
                + "\(level) CI, q within this set’s comparison, and the verdict for \(b) against \(a)"
        },
        comparisonSentence: { set, a, b, counts, reversed, moved, total in
            let parts = counts.map { "\($0.0.words) in \($0.1)" }
            let flipped = reversed == 0 ? "" : "; direction reversed in \(reversed)"
            let shifted = moved == 0 ? "" : "; contrast moved in \(moved) (\(b) − \(a) excludes 0, but the gap’s size "
                + "did not detectably change: the verdicts judge the size)"
            return "\(set): \(b) against \(a), " + parts.joined(separator: ", ") + " of \(total) "
                + (total == 1 ? "contrast" : "contrasts") + flipped + shifted + "."
        },
        titlePrefix: "Bias audit: ", versus: " vs ", noModels: "no models",
        architecture: { "\($0) layers · \($1) heads · \($2) wide" },
        completions: { total, parts in "\(total) \(total == "1" ? "completion" : "completions") scored (" + parts.joined(separator: " · ") + ")" },
        sweepCompletions: { total, parts, perSetting, settings in
            "\(total) completions scored (" + parts.joined(separator: " · ") + "), \(perSetting) at each of the \(settings) sampling settings"
        },
        setting: { setting in
            switch setting {
            case .samples: "Samples per prompt"
            case .maxNewTokens: "Max new tokens"
            case .temperature: "Temperature"
            case .topK: "Top-k"
            case .topP: "Top-p"
            case .seed: "Seed"
            case .confidence: "Confidence level"
            case .power: "Power for the minimum detectable effect"
            case .minimumGenderedWords: "Minimum gendered words per group (male share)"
            case .minimumEvents: "Minimum events and non-events per rate contrast (% negative and the other rates)"
            case .falseDiscoveryRate: "False discovery rate of findings and verdicts"
            case .falseDiscoveryRateOfFindings: "False discovery rate of findings"
            case .family: "Multiple comparisons"
            case .negativeThreshold: "Negative if compound ≤"
            case .positiveThreshold: "Positive if compound ≥"
            case .intervals: "Intervals"
            case .tests: "Tests"
            case .started: "Started"
            case .finished: "Finished"
            case .wallTime: "Wall time"
            case .generation: "Generation"
            case .statistics: "Statistics"
            }
        },
        off: "off", eachSetsOwn: "each set’s own (see the prompt-set table)",
        familyValue: { "Benjamini–Hochberg within each family: \($0)" },
        intervalsValue: { copies, units in
            let over = "t over \(ReportWords.englishUnits(units)) (the samples of each prompt are copies of one draw, as greedy decoding "
                + "writes them: no random streams; Satterthwaite df); for rates Wilson on the draws (one per prompt), for shares "
                + "on their gendered words, over the design effect, and t for their contrasts"
            return switch copies {
            case .all: over
            case .none, .some:
                // The unit a group's prompts vary by (a teacher's review: "term" in a set of fixed prompts).
                "t over crossed \(units == .prompts ? "prompt" : units == .both ? "term (or prompt)" : "term") × random-stream "
                    + "clusters (Satterthwaite df); Wilson for rates and shares, MOVER for "
                    + "their contrasts" + (copies == .some ? "; under the models whose samples are copies of one draw, " + over : "")
            }
        },
        testsValue: { verdicts, copies, units in
            let sampled = "t tests of group contrasts (means: Satterthwaite or pooled df; rates and shares: by inverting the "
                + "MOVER interval)"
            let copied = "t tests of group contrasts over \(ReportWords.englishUnits(units)) (Satterthwaite or pooled df), for rates and "
                + "shares too (copies of one draw)"
            return (copies == .all ? copied : sampled)
                + (copies == .some ? "; for rates and shares too under the models whose samples are copies of one draw" : "")
                + (verdicts ? "; model verdicts by an intersection–union test of both models’ uncertainty, "
                    + "Benjamini–Hochberg within each prompt set under each model pair" : "")
        })

    /// The units a group varies between, in English: "terms", "prompts", "terms or prompts".
    private static func englishUnits(_ units: UnitKind) -> String {
        switch units { case .terms: "terms"; case .prompts: "prompts"; case .both: "terms or prompts" }
    }
}
