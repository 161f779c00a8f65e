import Foundation
import InputFiles

extension AuditResult {
    /// The first sampling setting outside the range `run` accepts, as `prefix` + its key and a reason: a
    /// temperature below 0, a top-k below 0, a top-p outside [0, 1].
    static func samplingProblem(temperature: Double, topK: Double, topP: Double, at prefix: String)
        -> (key: String, reason: String)?
    {
        if !(temperature >= 0) { return (prefix + "temperature", "is \(temperature); a temperature is 0 or more") }
        if !(topK >= 0) { return (prefix + "top_k", "is \(topK == topK.rounded() && abs(topK) < 1e15 ? String(Int(topK)) : String(topK)); top-k is 0 (off) or more") }
        if !(0...1).contains(topP) { return (prefix + "top_p", "is \(topP); top-p lies between 0 and 1") }
        return nil
    }

    /// The first value of the file outside its meaningful range, as a key path and a reason, or `nil`.
    ///
    /// Probabilities (`p_value`, `q_value`, `p_more_biased`, `p_less_biased`) lie in [0, 1]; confidence
    /// levels, power and the false discovery rate lie strictly between 0 and 1; the minimum gendered words
    /// and events lie between 0 and 1,000,000 (their flags' range); samples and new tokens lie in the ranges `run` takes
    /// (``RunSizeLimits``: 1 to 10,000 and 1 to 1024, the run's and each set's: a hostile review read `samples: 10^9`), the
    /// temperature and top-k 0 or more, top-p within [0, 1], and the sentiment thresholds are compounds in
    /// [−1, 1] with the negative one below the positive one; `schema_version` starts at 1. Every
    /// estimate (``malformed(_:)``) has 0 or more terms and observations, a weight and a standard
    /// error of 0 or more, and a lower bound at most its upper one; a completion's VADER compound (an
    /// example's, either side of a counterfactual pair) lies between −1 and 1, so a pair's difference lies
    /// between −2 and 2. Counts (an estimate's `n`, `terms` and `weight` among them, and the completions of all group
    /// estimates together) are at most ``maximumCount`` (2^53), a he/she log-odds level at most ``maximumLogOdds`` in
    /// size (a difference twice that), and interval bounds and standard errors at most ``maximumBound``: larger numbers,
    /// though finite, overflowed the sums and conversions of `report`, `check` and `diff`.
    /// A file that breaks these was not written by biasaudit (or was edited), and reports built from it
    /// would print impossible numbers. Every number is finite: the decoder turns the strings `"NaN"`,
    /// `"Infinity"` and `"-Infinity"` into non-finite values (so that results written by older versions
    /// still read), and biasaudit writes an undefined value as null, never NaN; the one exception is
    /// `degrees_of_freedom`, whose `"Infinity"` is the normal reference distribution.
    public func firstOutOfRange() -> (key: String, reason: String)? {
        if schemaVersion < 1 { return ("schema_version", "is \(schemaVersion); versions start at 1") }
        if let found = firstNonFinite() ?? firstNegativeCount() ?? firstDurationProblem()
            ?? firstEstimateProblem({ estimate, _ in Self.malformed(estimate) }) ?? firstEstimateProblem(Self.outsideScale)
        {
            return found
        }
        func probability(_ value: Double?, _ key: String) -> (key: String, reason: String)? {
            guard let value, !(0...1).contains(value) else { return nil }
            return (key, "is \(value); a probability lies between 0 and 1")
        }
        func open(_ value: Double?, _ key: String) -> (key: String, reason: String)? {
            guard let value, !(value > 0 && value < 1) else { return nil }
            return (key, "is \(value); it lies strictly between 0 and 1")
        }
        let parameters = manifest.parameters
        if let found = open(parameters.confidenceLevel, "manifest.parameters.confidence_level") { return found }
        // The sampling settings and thresholds, in the ranges `run` and `analyze` accept: a report would
        // otherwise state settings no run used ("temperature -3"); the same for every setting of a sweep.
        let settings: [(valid: Bool, key: String, reason: String)] = [
            (parameters.samples.map(Self.samplesRange.contains) ?? true, "samples",
             Self.outsideRun(parameters.samples ?? 0, Self.samplesRange, "--samples")),
            (Self.newTokensRange.contains(parameters.maxNewTokens), "max_new_tokens",
             Self.outsideRun(parameters.maxNewTokens, Self.newTokensRange, "--max-new-tokens")),
            ((-1...1).contains(parameters.negativeThreshold) && (-1...1).contains(parameters.positiveThreshold)
                && parameters.negativeThreshold < parameters.positiveThreshold, "negative_threshold",
             "is \(parameters.negativeThreshold) with positive_threshold \(parameters.positiveThreshold); the thresholds "
                + "are VADER compounds between -1 and 1, the negative one below the positive one"),
        ]
        if let bad = settings.first(where: { !$0.valid }) { return ("manifest.parameters." + bad.key, bad.reason) }
        // Each set's own, as the run's (hostile review: a set's `samples: 0` was read while the run's was refused).
        for (index, set) in manifest.promptSets.enumerated() {
            let prefix = "manifest.prompt_sets[\(index)]."
            let sizes: [(Int?, String, ClosedRange<Int>, String)] = [
                (set.samples, "samples", Self.samplesRange, "--samples"),
                (set.maxNewTokens, "max_new_tokens", Self.newTokensRange, "--max-new-tokens"),
                // The set's `defaults:` (a hand-edited 0 made the header compare the run's 20 tokens with a default of 0).
                (set.defaultSamples, "default_samples", Self.samplesRange, "a set's defaults.samples"),
                (set.defaultMaxNewTokens, "default_max_new_tokens", Self.newTokensRange, "a set's defaults.max_new_tokens"),
            ]
            for case let (value?, key, range, option) in sizes where !range.contains(value) {
                return (prefix + key, Self.outsideRun(value, range, option))
            }
        }
        // The arithmetic of `run --precision` (practitioner's review: "fp8" was accepted, and `diff` spoke of an option
        // value that does not exist).
        if let precision = manifest.precision, !AuditManifest.precisions.contains(precision) {
            return ("manifest.precision", "is '\(AuditJSON.shortExcerpt(precision))'; it is one of "
                + AuditManifest.precisions.joined(separator: ", ") + " (--precision), or absent (f32)")
        }
        if let found = Self.samplingProblem(
            temperature: parameters.temperature, topK: Double(parameters.topK), topP: parameters.topP, at: "manifest.parameters.")
        {
            return found
        }
        if let found = firstMalformedDigest() { return found }
        if let sweep {
            for (index, setting) in sweep.settings.enumerated() {
                if let found = Self.samplingProblem(
                    temperature: setting.temperature, topK: Double(setting.topK), topP: setting.topP, at: "sweep.settings[\(index)].")
                {
                    return found
                }
            }
            if let found = Self.samplingProblem(
                temperature: sweep.base.temperature, topK: Double(sweep.base.topK), topP: sweep.base.topP, at: "sweep.base.")
            {
                return found
            }
            for (index, parameter) in sweep.parameters.enumerated() {
                for (position, value) in parameter.values.enumerated() {
                    let key = "sweep.parameters[\(index)].values[\(position)]"
                    let found: (key: String, reason: String)? = switch parameter.name {
                    case "temperature": Self.samplingProblem(temperature: value, topK: 0, topP: 1, at: key)
                    case "top_k": Self.samplingProblem(temperature: 1, topK: value, topP: 1, at: key)
                    case "top_p": Self.samplingProblem(temperature: 1, topK: 0, topP: value, at: key)
                    default: nil
                    }
                    if let found { return (key, found.reason) }
                }
            }
        }
        if let analysis = parameters.analysis {
            let prefix = "manifest.parameters.analysis."
            if let found = open(analysis.confidenceLevel, prefix + "confidence_level")
                ?? open(analysis.power, prefix + "power") ?? open(analysis.falseDiscoveryRate, prefix + "false_discovery_rate")
            {
                return found
            }
            // One confidence level, written twice: with two, `report` printed 95% intervals beside MDEs at α = 0.5,
            // `analyze RUN_DIR` re-analysed at 50% and `diff` compared at 95% (a hostile review).
            if abs(analysis.confidenceLevel - parameters.confidenceLevel) > 1e-9 {
                return (prefix + "confidence_level", "is \(analysis.confidenceLevel) while manifest.parameters.confidence_level "
                    + "is \(parameters.confidenceLevel); biasaudit writes one level in both")
            }
            if let revision = analysis.statisticsRevision, revision < 1 {
                return (prefix + "statistics_revision", "is \(revision); revisions start at 1")
            }
            // Settings no option changes, whatever the file says: a report printed "False discovery rate 0.2" beside
            // findings at q < 0.05, and "90% power" beside MDEs computed at 80%. The false discovery rate is
            // 1 − the confidence level (`--confidence` sets both), or 0.05 in files written before it did.
            let standard = AnalysisParameters()
            let tied = AnalysisParameters.falseDiscoveryRate(confidenceLevel: analysis.confidenceLevel)
            if abs(analysis.falseDiscoveryRate - tied) > 1e-9,
                abs(analysis.falseDiscoveryRate - standard.falseDiscoveryRate) > 1e-9
            {
                return (prefix + "false_discovery_rate", "is \(analysis.falseDiscoveryRate); biasaudit's findings and "
                    + "verdicts use q below 1 − the confidence level (\(tied) here), or \(standard.falseDiscoveryRate) in "
                    + "results written before --confidence set it")
            }
            if analysis.power != standard.power {
                return (prefix + "power", "is \(analysis.power); biasaudit states every MDE at \(standard.power) power, "
                    + "which no option changes")
            }
            if analysis.family != standard.family {
                return (prefix + "family", "is not the family biasaudit uses and writes (\"\(standard.family)\")")
            }
            // The minimum supports, in the ranges of `--min-gendered-words` and `--min-events`: a report would
            // otherwise state a rule no run applied ("at least −5 events").
            for (value, key, flag) in [(analysis.minimumGenderedWords as Int?, "minimum_gendered_words", "--min-gendered-words"),
                                       (analysis.minimumEvents, "minimum_events", "--min-events")]
            where value.map({ !(0...1_000_000).contains($0) }) ?? false {
                return (prefix + key, "is \(value!); \(flag) lies between 0 and 1000000")
            }
        }
        func compound(_ value: Double, _ key: @autoclosure () -> String, bound: Double = 1) -> (key: String, reason: String)? {
            guard !(-bound...bound).contains(value) else { return nil }
            return bound == 1 ? (key(), "is \(value); a VADER compound score lies between -1 and 1")
                : (key(), "is \(value); the difference of two VADER compound scores lies between -2 and 2")
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            for (index, contrast) in set.contrasts.enumerated() {
                let prefix = "\(setPath).contrasts[\(index)]."
                if let found = probability(contrast.pValue, prefix + "p_value") ?? probability(contrast.qValue, prefix + "q_value") {
                    return found
                }
                // A gap's size: a report printed an MDE of −1 as "1.00" (hostile tester).
                if let mde = contrast.minimumDetectableEffect, mde < 0 {
                    return (prefix + "minimum_detectable_effect", "is \(mde); a minimum detectable effect is 0 or more")
                }
            }
            for (index, labour) in (set.labourStatistics ?? []).enumerated() {
                if let found = probability(labour.spearmanPValue, "\(setPath).labour_statistics[\(index)].spearman_p_value") {
                    return found
                }
            }
            for (index, example) in set.examples.enumerated() {
                if let found = compound(example.compound, "\(setPath).examples[\(index)].compound") { return found }
            }
            for (index, pair) in (set.counterfactualPairs ?? []).enumerated() {
                let prefix = "\(setPath).counterfactual_pairs[\(index)]"
                if let found = compound(pair.a.compound, prefix + ".a.compound") ?? compound(pair.b.compound, prefix + ".b.compound")
                    ?? compound(pair.difference, prefix + ".difference", bound: 2)
                {
                    return found
                }
            }
        }
        for (index, comparison) in modelComparisons.enumerated() {
            let prefix = "model_comparisons[\(index)]."
            if let found = probability(comparison.pMoreBiased, prefix + "p_more_biased")
                ?? probability(comparison.pLessBiased, prefix + "p_less_biased")
                ?? probability(comparison.qValue, prefix + "q_value")
            {
                return found
            }
        }
        return nil
    }

    /// The longest duration a results file may record, in seconds: 10 years (a 1e19 s generation time made the
    /// report's duration formatting trap: review).
    static let maximumSeconds = 10 * 365.25 * 86_400

    /// The largest count a results file may record (completions, tokens, an estimate's `n`, `terms` and `weight`, and
    /// the completions of all its group estimates together): 2^53, the largest range of whole numbers a 64-bit float —
    /// and so every JSON reader, JavaScript's and Python's `float` among them — holds exactly. No audit comes near it
    /// (20,000 prompts × 10,000 samples × 32 models is 6.4 × 10^12), and sums of up to 1,024 such counts still fit
    /// in an `Int` (hostile review: `completions` of 9223372036854775807 made `report` and the validator trap on
    /// overflow, and a weight of 1e300 made `check` and `diff` trap converting it to a whole number).
    public static let maximumCount = 1 << 53

    /// The largest |log P(he) − log P(she)| a results file may record as a level: a difference of two
    /// log-probabilities is at most a few hundred (float32 probabilities reach e^−104); `analyze` refuses a larger
    /// `next_token_log_odds` (the one limit, `CompletionRecord.maximumLogOdds`). A difference of two groups lies within
    /// twice this.
    public static let maximumLogOdds = 1e6

    /// The largest size of an interval bound or standard error of any estimate: far beyond any interval of values
    /// within their scale (a log-odds interval from two prompts at ±10^6 at 99.99% confidence is about 10^10), and
    /// below 2^53, so the width of an interval is computed without overflow (hostile review: bounds of ±1.7e308
    /// made the report's axis trap on `upper − lower`).
    public static let maximumBound = 1e15

    /// "a count or index here is at most 2^53 (9007199254740992), …".
    static let countLimitText = "a count or index here is at most 2^53 (\(maximumCount)), the largest whole number every JSON "
        + "reader holds exactly"

    /// The first duration (generation, statistics, a model's sampling time) below 0 or above ``maximumSeconds``.
    private func firstDurationProblem() -> (key: String, reason: String)? {
        var durations: [(Double?, String)] = [
            (timing.generationSeconds, "timing.generation_seconds"), (timing.statisticsSeconds, "timing.statistics_seconds"),
        ]
        for (index, speed) in (timing.models ?? []).enumerated() {
            durations.append((speed.seconds, "timing.models[\(index)].seconds"))
        }
        if let (value, key) = durations.first(where: { $0.0.map { !(0...Self.maximumSeconds).contains($0) } ?? false }) {
            return (key, "is \(value ?? 0); a duration in seconds lies between 0 and \(Int(Self.maximumSeconds)) (10 years)")
        }
        // A speed below 0 (practitioner's review: accepted and printed).
        for (index, speed) in (timing.models ?? []).enumerated() {
            if let rate = speed.tokensPerSecond, rate < 0 {
                return ("timing.models[\(index)].tokens_per_second", "is \(rate); a speed is 0 or more")
            }
            // A speed is generated_tokens / seconds (a hostile review: 1e308 printed as a 309-digit cell of the report),
            // to 0.1% (files written by hand or by scripts round it: 7.628 for 7.62827).
            if let rate = speed.tokensPerSecond, rate.isFinite {
                let expected = speed.generatedTokens.flatMap { speed.seconds > 0 ? Double($0) / speed.seconds : nil }
                guard let expected, abs(rate - expected) <= 1e-3 * max(1, abs(expected)) else {
                    return ("timing.models[\(index)].tokens_per_second",
                            "is \(rate), but generated_tokens / seconds is "
                                + (expected.map { "\($0)" } ?? "undefined (\(speed.generatedTokens == nil ? "no generated_tokens" : "0 s"))")
                                + "; a speed is the tokens generated over the seconds taken")
                }
            }
        }
        // The times the report prints and subtracts (review: a start in year 1 printed a wall time of 87,649,464 h).
        let earliest = Date(timeIntervalSince1970: 946_684_800)  // 2000-01-01
        let latest = Date(timeIntervalSince1970: 7_258_118_400)  // 2200-01-01
        for (text, key) in [(timing.startedAt, "timing.started_at"), (timing.finishedAt, "timing.finished_at")] {
            guard let date = ReportNumbers.parseDate(text), date >= earliest, date < latest else {
                return (key, "is '\(AuditJSON.shortExcerpt(text))'; a time here is ISO 8601 in UTC between 2000 and 2200, "
                    + "e.g. 2026-11-30T15:01:32.123Z")
            }
        }
        return nil
    }

    /// Completions per prompt a run may record (`--samples`).
    static let samplesRange = 1...RunSizeLimits.maximumSamples
    /// New tokens per completion a run may record (`--max-new-tokens`).
    static let newTokensRange = 1...RunSizeLimits.maximumNewTokens

    /// The reason for a recorded count outside the range `run` takes for `option` (a flag, or a set's `defaults:` key).
    static func outsideRun(_ value: Int, _ range: ClosedRange<Int>, _ option: String) -> String {
        option.hasPrefix("--") ? "is \(value); `run` takes \(option) from \(range.lowerBound) to \(range.upperBound)"
            : "is \(value); \(option) lies between \(range.lowerBound) and \(range.upperBound)"
    }

    /// The first number that is NaN or infinite (``firstOutOfRange()``), as a key path and a reason.
    private func firstNonFinite() -> (key: String, reason: String)? {
        var found: (key: String, reason: String)?
        func check(_ value: Double?, _ key: @autoclosure () -> String) {
            guard found == nil, let value, !value.isFinite else { return }
            found = (key(), "is \(AuditJSON.numberText(value)); a number here is finite (an undefined value is written as null)")
        }
        let parameters = manifest.parameters
        for (value, key) in [(parameters.temperature, "temperature"), (parameters.topP, "top_p"),
                             (parameters.positiveThreshold, "positive_threshold"),
                             (parameters.negativeThreshold, "negative_threshold"),
                             (parameters.confidenceLevel, "confidence_level")] {
            check(value, "manifest.parameters." + key)
        }
        for (index, bias) in (parameters.injectedBiases ?? []).enumerated() {
            check(bias.logit, "manifest.parameters.injected_biases[\(index)].logit")
        }
        check(timing.generationSeconds, "timing.generation_seconds")
        check(timing.statisticsSeconds, "timing.statistics_seconds")
        for (index, speed) in (timing.models ?? []).enumerated() {
            check(speed.seconds, "timing.models[\(index)].seconds")
            check(speed.tokensPerSecond, "timing.models[\(index)].tokens_per_second")
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            for (index, contrast) in set.contrasts.enumerated() {
                let prefix = "\(setPath).contrasts[\(index)]"
                check(contrast.effectSize, prefix + ".effect_size")
                check(contrast.minimumDetectableEffect, prefix + ".minimum_detectable_effect")
            }
            for (index, example) in set.examples.enumerated() {
                check(example.compound, "\(setPath).examples[\(index)].compound")
            }
            for (index, pair) in (set.counterfactualPairs ?? []).enumerated() {
                let prefix = "\(setPath).counterfactual_pairs[\(index)]"
                check(pair.difference, prefix + ".difference")
                check(pair.a.compound, prefix + ".a.compound")
                check(pair.b.compound, prefix + ".b.compound")
            }
            for (index, labour) in (set.labourStatistics ?? []).enumerated() {
                let prefix = "\(setPath).labour_statistics[\(index)]"
                check(labour.spearman, prefix + ".spearman")
                for (occupationIndex, occupation) in labour.occupations.enumerated() {
                    let place = prefix + ".occupations[\(occupationIndex)]"
                    check(occupation.womenShare, place + ".women_share")
                    check(occupation.menShare, place + ".men_share")
                }
            }
        }
        for (index, comparison) in modelComparisons.enumerated() {
            let prefix = "model_comparisons[\(index)]"
            check(comparison.valueA, prefix + ".value_a")
            check(comparison.valueB, prefix + ".value_b")
            check(comparison.growth, prefix + ".growth")
        }
        return found ?? firstEstimateProblem { estimate, _ in Self.nonFinite(estimate) }
    }

    /// The first number of an estimate that is NaN or infinite, or degrees of freedom that are not positive
    /// (``firstNonFinite()``), as the field and a reason.
    private static func nonFinite(_ estimate: MetricEstimate) -> (field: String, reason: String)? {
        for (value, field) in [(estimate.value, "value"), (estimate.lower, "lower"), (estimate.upper, "upper"),
                               (estimate.weight, "weight"), (estimate.standardError, "standard_error")] {
            if let value, !value.isFinite {
                return (field, "is \(AuditJSON.numberText(value)); a number here is finite (an undefined value is written as null)")
            }
        }
        if let df = estimate.degreesOfFreedom, df.isNaN || df <= 0 {
            return ("degrees_of_freedom", "is \(AuditJSON.numberText(df)); degrees of freedom are positive (Infinity for the "
                + "normal reference)")
        }
        return nil
    }

    /// How an estimate contradicts what an estimate is (``firstOutOfRange()``), as the field and a reason:
    /// a negative count of observations or terms, a negative weight or standard error (`diff` would build
    /// intervals from it), or an interval whose lower bound lies above its upper one. biasaudit writes every
    /// interval as lower ≤ upper (a point interval has both equal) and leaves both null when there is none.
    /// A level or difference outside what its metric can take: a rate or share between 0 and 1 (a difference between
    /// −1 and 1), a VADER compound between −1 and 1 (a difference between −2 and 2). A report would otherwise print
    /// "% negative 150.0%". The bounds of a rate's level are checked too (Wilson's interval lies inside 0…1); a t
    /// interval of a mean may reach beyond the scale with few degrees of freedom, so only its value is.
    private static func outsideScale(_ estimate: MetricEstimate, role: EstimateRole) -> (field: String, reason: String)? {
        let difference = role.kind == .difference
        let bound: ClosedRange<Double>
        let what: String
        switch role.metric {
        case _ where role.kind == .change:
            return nil  // a change between models spans twice a difference's scale and is checked through its sides
        case let metric where metric.isRate:
            (bound, what) = difference ? (-1...1, "a difference of two rates") : (0...1, "a rate or share")
        case .sentiment:
            (bound, what) = difference ? (-2...2, "a difference of two mean VADER compounds") : (-1...1, "a mean VADER compound")
        case .heSheLogOdds:
            let size = difference ? 2 * maximumLogOdds : maximumLogOdds
            (bound, what) = (-size...size, difference ? "a difference of two log-odds levels" : "a log-odds level")
        default:
            return nil
        }
        let bounds = role.metric.isRate && !difference ? [("lower", estimate.lower), ("upper", estimate.upper)] : []
        for (field, value) in [("value", estimate.value)] + bounds {
            guard let value, !bound.contains(value) else { continue }
            return (field, "is \(value); \(what) lies between \(Int(bound.lowerBound)) and \(Int(bound.upperBound))")
        }
        return nil
    }

    /// What an estimate of the file is: its metric, and whether it is a group's level, a difference of two groups
    /// (a contrast) or a change between two models of a difference.
    struct EstimateRole {
        enum Kind { case level, difference, change }
        let metric: AuditMetric
        let kind: Kind
    }

    private static func malformed(_ estimate: MetricEstimate) -> (field: String, reason: String)? {
        if estimate.n < 0 { return ("n", "is \(estimate.n); counts and indices are 0 or more") }
        if let terms = estimate.terms, terms < 0 { return ("terms", "is \(terms); counts and indices are 0 or more") }
        if let weight = estimate.weight, weight < 0 {
            return ("weight", "is \(weight); a weight (for the male share, the number of gendered words) is 0 or more")
        }
        if let error = estimate.standardError, error < 0 { return ("standard_error", "is \(error); a standard error is 0 or more") }
        if estimate.n > maximumCount { return ("n", "is \(estimate.n); \(countLimitText)") }
        if let terms = estimate.terms, terms > maximumCount { return ("terms", "is \(terms); \(countLimitText)") }
        if let weight = estimate.weight, weight > Double(maximumCount) {
            return ("weight", "is \(weight); a weight (for the male share, the number of gendered words) is a count, at "
                + "most 2^53 (\(maximumCount))")
        }
        for (field, value) in [("standard_error", estimate.standardError), ("lower", estimate.lower), ("upper", estimate.upper)] {
            if let value, abs(value) > maximumBound {
                return (field, "is \(value); an interval bound or standard error lies between -1e15 and 1e15 (no estimate "
                    + "of biasaudit's comes near it)")
            }
        }
        if let lower = estimate.lower, let upper = estimate.upper, lower > upper {
            return ("lower", "is \(lower), above the interval's upper bound \(upper); a lower bound is at most the upper bound")
        }
        return nil
    }

    /// The first estimate of the file for which `problem` names a field, with the estimate's key path before
    /// that field: group levels, contrasts, occupations' male shares, model comparisons (the change and both
    /// contrasts) and the sweep's levels and contrasts, in that order.
    private func firstEstimateProblem(
        _ problem: (MetricEstimate, EstimateRole) -> (field: String, reason: String)?
    ) -> (key: String, reason: String)? {
        func at(
            _ estimate: MetricEstimate?, _ metric: AuditMetric, _ kind: EstimateRole.Kind, _ path: @autoclosure () -> String
        ) -> (key: String, reason: String)? {
            guard let estimate, let found = problem(estimate, EstimateRole(metric: metric, kind: kind)) else { return nil }
            return (path() + "." + found.field, found.reason)
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            for (index, group) in set.groupEstimates.enumerated() {
                for (metricIndex, metric) in group.estimates.enumerated() {
                    if let found = at(
                        metric.estimate, metric.metric, .level, "\(setPath).group_estimates[\(index)].estimates[\(metricIndex)].estimate")
                    {
                        return found
                    }
                }
            }
            for (index, contrast) in set.contrasts.enumerated() {
                if let found = at(contrast.difference, contrast.metric, .difference, "\(setPath).contrasts[\(index)].difference") {
                    return found
                }
            }
            for (index, labour) in (set.labourStatistics ?? []).enumerated() {
                for (occupationIndex, occupation) in labour.occupations.enumerated() {
                    let place = "\(setPath).labour_statistics[\(index)].occupations[\(occupationIndex)].male_share"
                    if let found = at(occupation.maleShare, .maleShare, .level, place) { return found }
                }
            }
        }
        for (index, comparison) in modelComparisons.enumerated() {
            let prefix = "model_comparisons[\(index)]"
            let metric = comparison.metric
            if let found = at(comparison.difference, metric, .change, prefix + ".difference")
                ?? at(comparison.contrastA, metric, .difference, prefix + ".contrast_a")
                ?? at(comparison.contrastB, metric, .difference, prefix + ".contrast_b")
            {
                return found
            }
        }
        for (index, level) in (sweep?.levels ?? []).enumerated() {
            if let found = at(level.estimate, level.metric, .level, "sweep.levels[\(index)].estimate") { return found }
        }
        for (index, contrast) in (sweep?.contrasts ?? []).enumerated() {
            if let found = at(contrast.difference, contrast.metric, .difference, "sweep.contrasts[\(index)].difference") {
                return found
            }
        }
        return nil
    }

    /// The first SHA-256 of the manifest that is not 64 hexadecimal digits (either case, as `CompletionsDigest` reads
    /// `completions_sha256`), as a key path and a reason: biasaudit writes every digest so, and `diff` and `check`
    /// compare runs by them (a hostile review: `'abc'`, 64 'Q's and markup were read and shown as digests).
    private func firstMalformedDigest() -> (key: String, reason: String)? {
        var digests: [(String?, String)] = [(manifest.completionsSHA256, "manifest.completions_sha256"),
                                            (manifest.source?.sha256, "manifest.source.sha256")]
        for (index, model) in manifest.models.enumerated() {
            let prefix = "manifest.models[\(index)]."
            digests += [(model.weightsSHA256, prefix + "weights_sha256"), (model.configSHA256, prefix + "config_sha256"),
                        (model.vocabSHA256, prefix + "vocab_sha256"), (model.mergesSHA256, prefix + "merges_sha256")]
        }
        digests += manifest.promptSets.enumerated().map { ($1.sha256, "manifest.prompt_sets[\($0)].sha256") }
        digests += manifest.lexicons.enumerated().map { ($1.sha256, "manifest.lexicons[\($0)].sha256") }
        for case let (digest?, key) in digests where !Self.isSHA256(digest) {
            return (key, "is '\(AuditJSON.shortExcerpt(digest, limit: 80))', not a SHA-256 (64 hexadecimal digits)")
        }
        return nil
    }

    /// Whether `text` is a SHA-256 in hexadecimal: 64 digits 0–9, a–f or A–F.
    public static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0 | 0x20) }
    }

    /// The first count or index outside an estimate that is negative (``firstOutOfRange()``), as a key path
    /// and a reason; an estimate's `n` and `terms` are ``malformed(_:)``'s.
    private func firstNegativeCount() -> (key: String, reason: String)? {
        // Samples and new tokens are held to what `run` takes (``firstOutOfRange()``), a message of their own.
        var counts: [(Int?, String)] = manifest.promptSets.enumerated().map { index, set in
            (set.promptCount, "manifest.prompt_sets[\(index)].prompt_count")
        }
        for (setIndex, set) in promptSets.enumerated() {
            let setPath = "prompt_sets[\(setIndex)]"
            for (index, group) in set.groups.enumerated() {
                counts.append((group.promptCount, "\(setPath).groups[\(index)].prompt_count"))
                counts.append((group.promptsWithData, "\(setPath).groups[\(index)].prompts_with_data"))
            }
            for (index, group) in set.groupEstimates.enumerated() {
                counts.append((group.completions, "\(setPath).group_estimates[\(index)].completions"))
            }
            for (index, pair) in (set.counterfactualPairs ?? []).enumerated() {
                counts.append((pair.sampleIndex, "\(setPath).counterfactual_pairs[\(index)].sample_index"))
            }
            for (index, count) in (set.contextFull ?? []).enumerated() {
                let prefix = "\(setPath).context_full[\(index)]."
                counts += [(count.completions, prefix + "completions"), (count.total, prefix + "total"),
                           (count.fewestNewTokens, prefix + "fewest_new_tokens")]
            }
        }
        for (index, speed) in (timing.models ?? []).enumerated() {
            let prefix = "timing.models[\(index)]."
            counts += [(speed.completions, prefix + "completions"), (speed.generatedTokens, prefix + "generated_tokens"),
                       (speed.storedBefore, prefix + "stored_before"), (speed.peakResidentBytes, prefix + "peak_resident_bytes")]
        }
        for (index, draws) in (injectedBiasDraws ?? []).enumerated() {
            let prefix = "injected_bias_draws[\(index)]."
            counts += [(draws.completions, prefix + "completions"), (draws.withToken, prefix + "with_token"),
                       (draws.otherCompletions, prefix + "other_completions"),
                       (draws.otherWithToken, prefix + "other_with_token")]
        }
        if let (value, key) = counts.first(where: { ($0.0 ?? 0) < 0 }) {
            return (key, "is \(value ?? 0); counts and indices are 0 or more")
        }
        if let (value, key) = counts.first(where: { ($0.0 ?? 0) > Self.maximumCount }) {
            return (key, "is \(value ?? 0); \(Self.countLimitText)")
        }
        // The completions of all group estimates together (the report adds them up per model and in all).
        var total = 0
        for (setIndex, set) in promptSets.enumerated() {
            for (index, group) in set.groupEstimates.enumerated() {
                total += group.completions  // each at most 2^53 (above), so two never overflow
                if total > Self.maximumCount {
                    return ("prompt_sets[\(setIndex)].group_estimates[\(index)].completions",
                            "is \(group.completions), which brings the completions of the file's group estimates to "
                                + "more than 2^53 (\(Self.maximumCount)) in all; \(Self.countLimitText)")
                }
            }
        }
        // A part is at most its whole (a report would print "300 of 240 completions").
        for (index, draws) in (injectedBiasDraws ?? []).enumerated() {
            let prefix = "injected_bias_draws[\(index)]."
            if draws.withToken > draws.completions {
                return (prefix + "with_token", "is \(draws.withToken), more than its \(draws.completions) completions")
            }
            if draws.otherWithToken > draws.otherCompletions {
                return (prefix + "other_with_token",
                        "is \(draws.otherWithToken), more than its \(draws.otherCompletions) other_completions")
            }
        }
        // Completions cut short by a full context (hostile review: "500 of 96 completions … stopped early", and a
        // fewest of 100 new tokens beside a run that asked for 8). A completions file from elsewhere records
        // --max-new-tokens only as declared, so its token counts are not held to it.
        for (setIndex, set) in promptSets.enumerated() {
            let asked = manifest.promptSets.firstIndex { $0.name == set.name }
            for (index, count) in (set.contextFull ?? []).enumerated() {
                let prefix = "prompt_sets[\(setIndex)].context_full[\(index)]."
                if count.completions > count.total {
                    return (prefix + "completions", "is \(count.completions), more than its total of \(count.total) (every "
                        + "completion of the set under the model)")
                }
                if let fewest = count.fewestNewTokens, let asked, manifest.source?.completionsMadeElsewhere != true,
                    fewest > manifest.promptSets[asked].maxNewTokens
                {
                    return (prefix + "fewest_new_tokens", "is \(fewest), more than the \(manifest.promptSets[asked].maxNewTokens) "
                        + "new tokens of manifest.prompt_sets[\(asked)].max_new_tokens: a completion cut short by a full "
                        + "context got no more new tokens than were asked for")
                }
            }
        }
        return nil
    }
}
