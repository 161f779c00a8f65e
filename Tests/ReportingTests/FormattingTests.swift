import AuditResults
import Hashing
import PromptSets
@testable import Reporting
import XCTest

/// Escaping and number formatting, case by case.
final class FormattingTests: XCTestCase {
    func testMarkdownInlineEscaping() {
        let cases: [(String, String)] = [
            ("a|b", "a\\|b"),
            ("# title", "\\# title"),
            ("- item", "\\- item"),
            ("+ item", "\\+ item"),
            ("12. item", "12\\. item"),
            ("3) item", "3\\) item"),
            ("2024 was", "2024 was"),
            ("0.1.0", "0.1.0"),
            ("-0.21", "-0.21"),
            ("---", "\\---"),
            ("-", "\\-"),
            ("7.", "7\\."),
            ("one\ntwo\r\nthree", "one ↵ two ↵ three"),
            ("`code` *em* _u_ [l](x) <b> ~s~ $m$ &amp;", "\\`code\\` \\*em\\* \\_u\\_ \\[l\\](x) \\<b\\> \\~s\\~ \\$m\\$ \\&amp;"),
            ("ask @octocat", "ask @\u{2060}octocat"),
            ("see https://e.example/x", "see https\u{2060}://e.example/x"),
            ("HTTP://E.EXAMPLE", "HTTP\u{2060}://E.EXAMPLE"),
            ("go to www.e.example", "go to www\u{2060}.e.example"),
            ("Www.e.example", "Www\u{2060}.e.example"),
            ("ftp://f mailto:a xmpp:b", "ftp\u{2060}://f mailto\u{2060}:a xmpp\u{2060}:b"),
            ("mail bob@e.example", "mail bob@\u{2060}e.example"),
            ("fixes #12", "fixes \\#\u{2060}12"),
            ("![img](x)", "!\\[img\\](x)"),
            ("wwwx.e and http:x", "wwwx.e and http:x"),
            ("back\\slash", "back\\\\slash"),
            ("{{x}}", "{{x}}"),
            ("tab\there", "tab here"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(ReportEscaping.markdownInline(input), expected, "input: \(input.debugDescription)")
        }
    }

    func testVisibleAndXMLEscaping() {
        XCTAssertEqual(ReportEscaping.visible("a\u{1B}[1m\u{202E}b\u{7}\nc\td"), "a\\u{1b}[1m\\u{202e}b\\u{7}\nc\td")
        XCTAssertEqual(ReportEscaping.visible("x\r\ny\rz"), "x\ny\nz")
        XCTAssertEqual(ReportEscaping.visible("family 👨‍👩‍👧 zwj"), "family 👨‍👩‍👧 zwj", "joiners inside emoji are kept")
        // A hostile review: direction marks, interlinear annotations and tag characters (a hidden "hi") reached the
        // reports raw. The tag characters of an emoji flag stay: England's flag prints as a flag.
        XCTAssertEqual(ReportEscaping.visible("a\u{200F}b\u{200E}c\u{61C}d\u{FFF9}e\u{FFFB}f\u{E0068}\u{E0069}"),
                       "a\\u{200f}b\\u{200e}c\\u{61c}d\\u{fff9}e\\u{fffb}f\\u{e0068}\\u{e0069}")
        let england = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E007F}"
        XCTAssertEqual(ReportEscaping.visible("flag \(england) ok"), "flag \(england) ok")
        XCTAssertEqual(TextEscaping.line("\(england)\u{E0068}"), "\(england)\\u{e0068}", "a tag after the cancel tag is shown")
        // A second review: any tag text after U+1F3F4 passed; only the three flags spelt with tags do.
        XCTAssertEqual(ReportEscaping.visible("\u{1F3F4}\u{E0068}\u{E0069}\u{E007F}"), "\u{1F3F4}\\u{e0068}\\u{e0069}\\u{e007f}")
        XCTAssertEqual(ReportEscaping.visible("\u{1F3F4}\u{E0067}\u{E0062}\u{E0065}\u{E006E}\u{E0067}\u{E0068}"),
                       "\u{1F3F4}\\u{e0067}\\u{e0062}\\u{e0065}\\u{e006e}\\u{e0067}\\u{e0068}", "gbeng without its cancel tag")
        let scotland = "\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"
        XCTAssertEqual(ReportEscaping.visible(scotland + scotland), scotland + scotland)
        XCTAssertEqual(ReportEscaping.xml("<a href=\"x\">&'</a>"), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;")
    }

    func testOneLineAndCodeSpanEscaping() {
        XCTAssertEqual(TextEscaping.line("gpt2\n::error x\r\n\u{2028}\u{1B}[2J"), "gpt2\\n::error x\\r\\n\\u{2028}\\u{1b}[2J")
        XCTAssertEqual(TextEscaping.line("tab\tkept, ünïcode kept"), "tab\tkept, ünïcode kept")
        // Review: the token `"` printed as `"""` in next-token's table, and the two characters `\n` read as a line break.
        XCTAssertEqual(TextEscaping.quoted("\""), #""\"""#)
        XCTAssertEqual(TextEscaping.quoted("a\\nb\nc"), #""a\\nb\nc""#)
        XCTAssertEqual(TextEscaping.quoted(" he\u{1B}[2J"), #"" he\u{1b}[2J""#)
        let table = TerminalText.nextTokenTable(prompt: #"He said ""#, entries: [(id: 1, token: "\"", logit: 1, prob: 0.5)])
        XCTAssertTrue(table.hasPrefix(#"next token after "He said \"":"#), table)
        XCTAssertTrue(table.contains(#"   1  1       "\""             "#), table)
        XCTAssertEqual(ReportEscaping.markdownCode("runs/a.json"), "`runs/a.json`")
        XCTAssertEqual(ReportEscaping.markdownCode("a``b|c\nd"), "```a``b\\|c\\nd```", "fence longer than any run inside")
        XCTAssertEqual(ReportEscaping.markdownCode("`x"), "`` `x ``", "padded when the text starts with a backtick")
    }

    func testTerminalTextShowsControlsAndBidiOverridesButKeepsLineBreaks() {
        let text = TerminalText.samples(prompt: "The \u{202E}man", continuations: [("said\r\nhi\u{1B}[2J", "eos_token")])
        // Compared piecewise: on a terminal the continuation is highlighted.
        XCTAssertTrue(text.hasPrefix("[1] (eos token)\nThe \\u{202e}man"), text)
        XCTAssertTrue(text.contains("said\nhi\\u{1b}[2J"), text)
        let table = TerminalText.tokenTable(ids: [198], tokens: ["\n\u{202E}"])
        XCTAssertTrue(table.hasSuffix("\\n\\u{202e}"), table)
        // A hostile review: a continuation's later line read as a GitHub Actions command in a CI log.
        let command = TerminalText.samples(prompt: "::x", continuations: [(" fine.\n::error title=x::y\n  ##[warning]z\n##vso[task]w\na :: b ##[error]c ##vso[d]", "length")])
        XCTAssertTrue(command.contains("\n\\u{3a}:x→ fine."), command)
        XCTAssertTrue(command.contains("\n\\u{3a}:error title=x::y\n  \\u{23}#[warning]z\n\\u{23}#vso[task]w\n"
            + "a :: b \\u{23}#[error]c \\u{23}#vso[d]"), command)
        XCTAssertEqual(TextEscaping.defusingWorkflowCommands("## heading\n#x a::b"), "## heading\n#x a::b", "only the command forms")
        // A value quoted in a message (an excerpt of a server's answer on standard error) is defused mid-line too; its
        // leading `::` stays, since it is quoted inside a line (a review: "prompt '\u{3a}:nurse said that'").
        XCTAssertEqual(TextEscaping.excerpt("oops ##vso[task.setvariable variable=x]1"), "oops \\u{23}#vso[task.setvariable variable=x]1")
        XCTAssertEqual(TextEscaping.defusingWorkflowCommands("a ##VSO[task.x]1 ##Vso[y] ###[z] ## [w] ##vs[v]"),
                       "a \\u{23}#VSO[task.x]1 \\u{23}#Vso[y] #\\u{23}#[z] ## [w] ##vs[v]", "any letter case; ### keeps its first #")
        XCTAssertEqual(TextEscaping.defusingWorkflowCommands("x ##[\u{301}error]y ##vso"), "x \\u{23}#[\u{301}error]y ##vso",
                       "bytes, not characters: a combining mark after [ does not hide ##[")
        XCTAssertEqual(TextEscaping.message("::nurse said that"), "::nurse said that")
        // A vocabulary's tokens in the token tables (a review: `##[error]pwn` printed raw by `decode --tokens`).
        XCTAssertTrue(TerminalText.tokenTable(ids: [599, 600], tokens: ["##[error]pwn", "::error::x"])
            .hasSuffix("599     \\u{23}#[error]pwn\n  1 600     ::error::x"))
    }

    /// Review: `decode 26102 --tokens` said "1 tokens".
    func testTokenTableCountsInTheSingular() {
        XCTAssertTrue(TerminalText.tokenTable(ids: [26102], tokens: ["x"]).hasPrefix("1 token\n"))
        XCTAssertTrue(TerminalText.tokenTable(ids: [1, 2], tokens: ["a", "b"]).hasPrefix("2 tokens\n"))
    }

    /// Review: a running sum of 0.89996 (below top-p 0.9, so the next token is kept) printed as 0.9000, a
    /// token kept "past" top-p; the printed sum must never contradict what top-p kept or cut.
    func testTheRunningSumNeverContradictsTopP() {
        func row(_ id: Int, _ p: Float, _ removedBy: String? = nil) -> LabText.WarpedRow {
            LabText.WarpedRow(
                id: id, token: "t\(id)", logit: 0, prob: p, temperatureProb: p, afterTopKProb: p,
                samplingProb: removedBy == nil ? p : 0, removedBy: removedBy)
        }
        func sums(_ table: String) -> [String] {
            table.split(separator: "\n").dropFirst(3).map { line in
                let fields = line.split(separator: " ")
                return String(fields[fields.count - (fields.last!.hasPrefix("top") ? 4 : 2)])
            }
        }
        // 0.5 + 0.39996 = 0.89996 < 0.9: the third token is kept, and top-p is reached only after it.
        let kept = LabText.warpedTable(
            prompt: "P", summary: "s", topP: 0.9,
            rows: [row(1, 0.5), row(2, 0.39996), row(3, 0.05), row(4, 0.04, "top_p")])
        XCTAssertEqual(sums(kept), ["0.5000", "0.89996", "0.9500", "0.9900"], kept)
        // A sum just past top-p (the next token cut) never prints below it.
        let cut = LabText.warpedTable(
            prompt: "P", summary: "s", topP: 0.95,
            rows: [row(1, 0.9), row(2, 0.050004), row(3, 0.04, "top_p")])
        XCTAssertEqual(sums(cut), ["0.9000", "0.9500", "0.9900"], cut)
        // Without top-p, 4 decimals.
        let off = LabText.warpedTable(prompt: "P", summary: "s", rows: [row(1, 0.5), row(2, 0.39996)])
        XCTAssertEqual(sums(off), ["0.5000", "0.9000"], off)
    }

    /// Review: one sample per prompt printed a rate's MDE as 156.5 pp, "the smallest difference the design detects".
    func testAnMDEBeyondEveryPossibleDifferenceSaysNoneIsDetectable() {
        let cases: [(AuditMetric, ReportWords, Double?, String)] = [
            (.negativeRate, .english, 1.565, "none: over 100.0 pp"),
            (.negativeRate, .english, -1.2, "none: over 100.0 pp"),
            (.negativeRate, .english, 0.171, "17.1 pp"),
            (.negativeRate, .english, 1.0, "100.0 pp"),
            (.maleShare, .spanish, 1.084, "ninguno: más de 100,0\u{00A0}p.\u{00A0}p."),
            (.sentiment, .english, 2.5, "none: over 2.00"),
            (.sentiment, .english, 0.42, "0.42"),
            (.heSheLogOdds, .english, 7.3, "7.30"),
            (.negativeRate, .english, nil, ReportNumbers.missing),
        ]
        for (metric, words, value, expected) in cases {
            XCTAssertEqual(MetricPresentation(metric, words: words).minimumDetectableEffect(value), expected, "\(metric) \(String(describing: value))")
        }
    }

    /// Review: "−0,08 [−0,16; 0,00]" beside p = 0,040, whose upper bound was −0.0042.
    func testASignedBoundThatRoundsToZeroKeepsItsSign() {
        let cases: [(AuditMetric, ReportWords, Double, Double, String)] = [
            (.sentiment, .spanish, -0.16, -0.0042, "[−0,16; −0,004]"),
            (.sentiment, .english, -0.16, -0.00004, "[−0.16, −0.00004]"),
            (.sentiment, .english, -0.16, -0.000_000_4, "[−0.16, 0.00]"),  // beyond 3 more decimals: as before
            (.sentiment, .english, 0, 0.2, "[0.00, +0.20]"),
            (.negativeRate, .english, 0.0004, 0.12, "[+0.04, +12.0]"),
            (.heSheLogOdds, .english, -0.001, 0.5, "[−0.001, +0.50]"),
        ]
        for (metric, words, lower, upper, expected) in cases {
            let estimate = MetricEstimate(value: (lower + upper) / 2, lower: lower, upper: upper, n: 10)
            XCTAssertEqual(MetricPresentation(metric, words: words).interval(estimate, signed: true), expected, "\(lower) \(upper)")
        }
        // Unsigned levels keep their decimals (a rate's lower bound of 0.04% is 0.0%).
        let level = MetricEstimate(value: 0.01, lower: 0.0004, upper: 0.05, n: 10)
        XCTAssertEqual(MetricPresentation(.negativeRate, words: .english).interval(level, signed: false), "[0.0, 5.0]")
    }

    /// A newcomer's review: a group whose completions all scored 0 showed "0,00 [sin IC]" with no reason, the only
    /// missing interval without one. A value without a standard error or a support reason names the missing variance
    /// estimate; a reason of support, or no value, keeps its own wording.
    func testAnIntervalMissingForLackOfAVarianceEstimateSaysSo() {
        let alike = MetricEstimate(value: 0, lower: nil, upper: nil, n: 40, terms: 1, method: "conditional_on_terms")
        XCTAssertEqual(MetricPresentation(.sentiment, words: .english).interval(alike, signed: false),
                       "[no CI: no variance estimate]")
        XCTAssertEqual(MetricPresentation(.sentiment, words: .spanish).interval(alike, signed: false),
                       "[sin IC: sin estimación de la varianza]")
        var thin = alike
        thin.insufficient = "too few gendered words (3 in this group, below the minimum of 20)"
        XCTAssertEqual(MetricPresentation(.maleShare, words: .english).interval(thin, signed: false), "[no CI]")
        let undefined = MetricEstimate(value: nil, lower: nil, upper: nil, n: 0)
        XCTAssertEqual(MetricPresentation(.sentiment, words: .english).interval(undefined, signed: false), "[no CI]")
    }

    func testNumbers() {
        XCTAssertEqual(ReportNumbers.fixed(-0.214, decimals: 2), "−0.21")
        XCTAssertEqual(ReportNumbers.fixed(-0.001, decimals: 2), "0.00", "no negative zero")
        XCTAssertEqual(ReportNumbers.fixed(0.069, decimals: 2, signed: true), "+0.07")
        XCTAssertEqual(ReportNumbers.fixed(.nan, decimals: 2), "—")
        XCTAssertEqual(ReportNumbers.percent(0.1234), "12.3%")
        XCTAssertEqual(ReportNumbers.percent(-0.109, signed: true), "−10.9 pp")
        XCTAssertEqual(ReportNumbers.probability(0.0004), "< 0.001")
        XCTAssertEqual(ReportNumbers.probability(0.0281), "0.028")
        // Never rounded up onto a threshold a finding is decided at (a class's review: "q = 0,050 · hallazgo" under
        // "un hallazgo tiene q < 0,05"); at or above one, and elsewhere, three decimals.
        XCTAssertEqual(ReportNumbers.probability(0.049522), "0.0495")
        XCTAssertEqual(ReportNumbers.probability(0.049996), "0.049996")
        XCTAssertEqual(ReportNumbers.probability(0.05 - 1e-10), "< 0.050")
        XCTAssertEqual(ReportNumbers.probability(0.05), "0.050")
        XCTAssertEqual(ReportNumbers.probability(0.0504), "0.050")
        XCTAssertEqual(ReportNumbers.probability(0.00996), "0.00996")
        XCTAssertEqual(ReportNumbers.probability(0.0996), "0.0996")
        XCTAssertEqual(ReportNumbers.probability(0.0127), "0.013", "a value rounded up to no level")
        XCTAssertEqual(ReportNumbers.probability(0.24498), "0.245", "0.245 is no level")
        XCTAssertEqual(ReportNumbers.labelled("q", 0.049522), "q = 0.0495")
        // The run's own level too (a code review: at --confidence 0.97, q = 0.0297 printed 0.030 beside "q < 0.03"), on
        // either side of it where it has more decimals than three.
        XCTAssertEqual(ReportNumbers.probability(0.0297), "0.030")
        XCTAssertEqual(ReportNumbers.probability(0.0297, decidedAt: 0.03), "0.0297")
        XCTAssertEqual(ReportNumbers.probability(0.04635, decidedAt: 0.0463), "0.0464")
        XCTAssertEqual(ReportNumbers.probability(0.04625, decidedAt: 0.0463), "0.046", "below, and printed below")
        XCTAssertEqual(ReportNumbers.probability(0.0297 - 1e-10, decidedAt: 0.0297), "< 0.0297")
        // The run's level as 1 − the confidence level computes it (1 − 0.97 = 0.030000000000000027).
        XCTAssertEqual(ReportNumbers.probability(0.03 - 1e-10, decidedAt: 1 - 0.97), "< 0.030")
        XCTAssertEqual(ReportNumbers.labelled("q", 0.03 - 1e-10, decidedAt: 1 - 0.97), "q < 0.030")
        // Just above a level of more decimals than 8 print: "≥" it, never "<" another level (a code review: "< 0.050").
        XCTAssertEqual(ReportNumbers.probability(0.10000000011, decidedAt: 0.1000000001), "≥ 0.10000000")
        XCTAssertEqual(ReportNumbers.labelled("q", 0.10000000011, decidedAt: 0.1000000001), "q ≥ 0.10000000")
        XCTAssertEqual(ReportNumbers.labelled("q", 0.0004), "q < 0.001")
        XCTAssertEqual(ReportNumbers.labelled("q", 0.001), "q = 0.001")
        XCTAssertEqual(ReportNumbers.count(1_234_567), "1,234,567")
        XCTAssertEqual(ReportNumbers.count(999), "999")
        // Tokens per second, grouped as counts are (a teacher's review: "11245,9" beside "24 000").
        XCTAssertEqual(ReportNumbers.groupedFixed(9205.34, decimals: 1), "9,205.3")
        XCTAssertEqual(ReportNumbers.groupedFixed(11245.94, decimals: 1, style: .spanish), "11\u{00A0}245,9")
        XCTAssertEqual(ReportNumbers.groupedFixed(9205.34, decimals: 1, style: .spanish), "9205,3")
        XCTAssertEqual(ReportNumbers.groupedFixed(-1234.5, decimals: 1), "−1,234.5")
        XCTAssertEqual(ReportNumbers.groupedFixed(999.96, decimals: 1), "1,000.0")
        XCTAssertEqual(ReportNumbers.groupedFixed(-0.01, decimals: 1), "0.0")
        XCTAssertEqual(ReportNumbers.duration(0.25), "250 ms")
        XCTAssertEqual(ReportNumbers.duration(42.04), "42.0 s")
        XCTAssertEqual(ReportNumbers.duration(245), "4 min 05 s")
        XCTAssertEqual(ReportNumbers.duration(4003), "1 h 06 min")
        XCTAssertEqual(ReportNumbers.plain(-0.05), "−0.05")
        XCTAssertEqual(ReportNumbers.plain(0.7), "0.7")
        XCTAssertEqual(ReportNumbers.timestamp("2025-06-01T14:03:22Z"), "2025-06-01 14:03 UTC")
        XCTAssertEqual(ReportNumbers.timestamp("2025-06-01T14:03:22.5Z"), "2025-06-01 14:03 UTC")
        XCTAssertEqual(ReportNumbers.level(0.95), "95%")
    }

    /// `diff` and the terminal round as the reports do (practitioner's review: 0.0625 was `+0.063` in `diff` beside the
    /// report's 6.2 pp), with an ASCII sign and never `-0.000`.
    func testSignedPlainNumbersRoundAsTheReportsDo() {
        for (value, expected) in [(0.0625, "+0.062"), (-0.0625, "-0.062"), (0.0626, "+0.063"), (-0.0004, "+0.000"),
                                  (0.0, "+0.000"), (-0.74, "-0.740"), (1.0, "+1.000")] {
            XCTAssertEqual(ReportNumbers.signedPlain(value), expected, "\(value)")
        }
        XCTAssertEqual(ReportNumbers.percent(0.0625, signed: true), "+6.2 pp", "the report's number for the same value")
        XCTAssertEqual(ReportNumbers.signedPlain(-.infinity), "-inf")
        // Rates and shares round as their percentage points (code review: 0.0425 was +0.043 beside the report's 4.2 pp).
        for value in [0.0425, -0.0425, 0.0125, 0.00049, 0.6985] {
            let points = ReportNumbers.percent(value, signed: true).replacingOccurrences(of: " pp", with: "")
                .replacingOccurrences(of: "−", with: "-")
            let expected = String(format: "%.3f", abs(Double(points)!) / 100)
            let plain = ReportNumbers.signedPlain(value, percentagePoints: true)
            XCTAssertEqual(plain.dropFirst(), Substring(expected), "\(value): \(plain) beside the report's \(points) pp")
        }
        XCTAssertEqual(ReportNumbers.signedPlain(0.0425, percentagePoints: true), "+0.042")
    }

    func testSpanishNumbers() {
        let style = NumberStyle.spanish
        XCTAssertEqual(ReportNumbers.fixed(-0.214, decimals: 2, style: style), "−0,21")
        XCTAssertEqual(ReportNumbers.fixed(0.069, decimals: 2, signed: true, style: style), "+0,07")
        XCTAssertEqual(ReportNumbers.percent(0.1234, style: style), "12,3\u{00A0}%")
        XCTAssertEqual(ReportNumbers.percent(-0.109, signed: true, style: style), "−10,9\u{00A0}p.\u{00A0}p.")
        XCTAssertEqual(ReportNumbers.probability(0.0004, style: style), "< 0,001")
        XCTAssertEqual(ReportNumbers.probability(0.049522, style: style), "0,0495")
        XCTAssertEqual(ReportNumbers.count(1_234_567, style: style), "1\u{00A0}234\u{00A0}567")
        XCTAssertEqual(ReportNumbers.count(1_032, style: style), "1032", "RAE: no separator in four-digit numbers")
        XCTAssertEqual(ReportNumbers.plain(-0.05, style: style), "−0,05")
        XCTAssertEqual(ReportNumbers.level(0.95, style: style), "95\u{00A0}%")
        XCTAssertEqual(ReportNumbers.duration(42.04, style: style), "42,0 s")
        XCTAssertEqual(AxisScale(values: [-0.27, 0.31], range: 0...100).ticks(percent: false, style: style).map(\.1),
                       ["−0,4", "−0,2", "0,0", "0,2", "0,4"])
    }

    /// The reason an estimate has no interval is worded from its structured form in each language; a
    /// results file written before the structured form keeps its English text (under a Spanish label).
    func testInsufficientReasonsAreWordedFromData() {
        let detail = InsufficientSupport(reason: .tooFewGenderedWords, observed: 3, minimum: 20)
        let text = "too few gendered words (3 in a group, below the minimum of 20)"
        XCTAssertEqual(detail.englishText, text)
        let current = MetricEstimate(value: 0.7, lower: nil, upper: nil, n: 12, insufficient: text, insufficientDetail: detail)
        XCTAssertEqual(ReportWords.english.insufficient(current), text)
        XCTAssertEqual(
            ReportWords.spanish.insufficient(current), "muy pocas palabras de género (3 en un grupo, por debajo del mínimo de 20)")
        let thin = InsufficientSupport(reason: .tooLittleData, observed: 1, minimum: 5)
        XCTAssertEqual(
            ReportWords.spanish.insufficient(MetricEstimate(value: 1, lower: nil, upper: nil, n: 1, insufficientDetail: thin)),
            "datos insuficientes (1 en un grupo, por debajo del mínimo de 5)")
        let older = MetricEstimate(value: 0.7, lower: nil, upper: nil, n: 12, insufficient: text)
        XCTAssertEqual(ReportWords.english.insufficient(older), text)
        XCTAssertEqual(ReportWords.spanish.insufficient(older), "datos insuficientes (en inglés: \(text))")
        XCTAssertNil(ReportWords.spanish.insufficient(MetricEstimate(value: 1, lower: 0, upper: 2, n: 3)))
    }

    /// The findings' headline announces an order only for a list of two or more pairs of groups, and one tested contrast
    /// is in "its" family (a teacher's review: "…in 1 pair of groups; strongest evidence first:" above a list of one).
    func testTheFindingsHeadlineFitsOneContrastOnePairAndSeveral() {
        XCTAssertEqual(ReportWords.english.findingsHeadline(1, "1", 1, "0.05"), "The one tested group contrast is a finding "
            + "(q < 0.05 within its family: one prompt set under one model):")
        XCTAssertEqual(ReportWords.english.findingsHeadline(2, "6", 1, "0.05"), "2 of the 6 tested group contrasts are "
            + "findings (q < 0.05 within each family: one prompt set under one model), in 1 pair of groups:")
        XCTAssertEqual(ReportWords.english.findingsHeadline(9, "19", 3, "0.05"), "9 of the 19 tested group contrasts are "
            + "findings (q < 0.05 within each family: one prompt set under one model), in 3 pairs of groups; strongest "
            + "evidence first:")
        XCTAssertEqual(ReportWords.spanish.findingsHeadline(1, "1", 1, "0,05"), "El único contraste entre grupos probado es "
            + "un hallazgo (q < 0,05 dentro de su familia: un conjunto de prompts con un modelo):")
        XCTAssertEqual(ReportWords.spanish.findingsHeadline(1, "6", 1, "0,05"), "1 de los 6 contrastes entre grupos "
            + "probados es un hallazgo (q < 0,05 dentro de cada familia: un conjunto de prompts con un modelo), en 1 par de "
            + "grupos:")
        XCTAssertEqual(ReportWords.spanish.findingsHeadline(9, "19", 3, "0,05"), "9 de los 19 contrastes entre grupos "
            + "probados son hallazgos (q < 0,05 dentro de cada familia: un conjunto de prompts con un modelo), en 3 pares de "
            + "grupos; primero la evidencia más fuerte:")
    }

    /// A rate contrast below its minimum events (Cochran's rule) is worded with what the rate counts, in
    /// each language, and round-trips through results.json with its metric.
    func testTooFewEventsIsWordedFromData() throws {
        let events = InsufficientSupport(reason: .tooFewEvents, observed: 7, minimum: 10, metric: .negativeRate)
        let estimate = MetricEstimate(
            value: 0.05, lower: nil, upper: nil, n: 240, insufficient: events.englishText, insufficientDetail: events)
        XCTAssertEqual(ReportWords.english.insufficient(estimate),
                       "too few negative completions to compare (7 in the two groups; at least 10)")
        XCTAssertEqual(ReportWords.spanish.insufficient(estimate),
                       "muy pocas continuaciones negativas para comparar (7 en los dos grupos; al menos 10)")
        let nonEvents = InsufficientSupport(reason: .tooFewNonEvents, observed: 4, minimum: 10, metric: .genderedRate)
        XCTAssertEqual(nonEvents.englishText,
                       "too few completions without a gendered word to compare (4 in the two groups; at least 10)")
        XCTAssertEqual(
            ReportWords.spanish.insufficient(MetricEstimate(value: 0.9, lower: nil, upper: nil, n: 240, insufficientDetail: nonEvents)),
            "muy pocas continuaciones sin palabra de género para comparar (4 en los dos grupos; al menos 10)")
        // Without the metric (a file that leaves it out), "eventos" is masculine: "muy pocos" (a review: "muy pocas eventos").
        for (reason, noun) in [(InsufficientSupport.Reason.tooFewEvents, "eventos"), (.tooFewNonEvents, "no eventos")] {
            let bare = InsufficientSupport(reason: reason, observed: 3, minimum: 10)
            XCTAssertEqual(
                ReportWords.spanish.insufficient(MetricEstimate(value: 0.1, lower: nil, upper: nil, n: 40, insufficientDetail: bare)),
                "muy pocos \(noun) para comparar (3 en los dos grupos; al menos 10)")
        }
        let json = try AuditJSON.encoder().encode(events)
        XCTAssertEqual(String(decoding: json, as: UTF8.self).contains("\"too_few_events\""), true)
        XCTAssertEqual(try AuditJSON.decoder().decode(InsufficientSupport.self, from: json), events)
    }

    /// The one-pass byte escaper equals a plain reference (escape, then split every autolink prefix) on
    /// seeded strings of tricky characters: Markdown punctuation, URL prefixes in any case, `#` before ASCII
    /// and Arabic-Indic digits, line separators, combining marks, emoji and controls.
    func testMarkdownInlineEqualsThePlainReference() {
        let pieces = ["*", "_", "`", "[", "]", "<", ">", "|", "#", "~", "$", "&", "\\", "@", "#1", "#٣", "# ", "www.", "WwW.",
                      "http://", "HTTPS://", "ftp://", "mailto:", "xmpp:", "htt", "\n", "\r\n", "\t", "\u{2028}", "\u{2029}",
                      "e\u{301}", "*\u{301}", "😀", "\u{1B}", "\u{202E}", "a", " ", "-", "1.", "=", "ü"]
        var generator = SplitMix64(seed: 7)
        var differences: [String] = []
        for _ in 0..<2000 {
            let text = (0..<Int(generator.next() % 12)).map { _ in pieces[Int(generator.next() % UInt64(pieces.count))] }.joined()
            let expected = Self.referenceMarkdownInline(text)
            let actual = ReportEscaping.markdownInline(text)
            if actual != expected { differences.append("\(text.debugDescription): \(actual.debugDescription) ≠ \(expected.debugDescription)") }
        }
        XCTAssertTrue(differences.isEmpty, "\(differences.count) of 2000 differ, first ones:\n" + differences.prefix(5).joined(separator: "\n"))
        let whitespace = " \t\n\u{0B}\u{0C}\r\u{85}\u{A0}\u{1680}\u{2000}\u{200A}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}"
        for text in ["", whitespace, whitespace + "a b" + whitespace, " é ", "x"] {
            XCTAssertEqual(SetBuilder.trimmingWhitespace(text), text.trimmingCharacters(in: .whitespacesAndNewlines), text.debugDescription)
        }
        // Unlike this platform's Foundation, U+200B is kept: it is not white space (Unicode's White_Space).
        XCTAssertEqual(SetBuilder.trimmingWhitespace(" \u{200B}x "), "\u{200B}x")
    }

    /// The escaper as first written, scalar by scalar (the reference for the byte version).
    private static func referenceMarkdownInline(_ text: String) -> String {
        let special: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "|", "#", "~", "$", "&"]
        let scalars = Array(ReportEscaping.visible(text).unicodeScalars)
        var escaped = ""
        for (index, scalar) in scalars.enumerated() {
            switch scalar {
            case "\n", "\u{2028}", "\u{2029}": escaped += " ↵ "
            case "\t": escaped += " "
            case "@": escaped += "@\u{2060}"
            case "#" where index + 1 < scalars.count && scalars[index + 1].properties.numericType != nil: escaped += "\\#\u{2060}"
            case _ where special.contains(scalar): escaped += "\\" + String(scalar)
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        var result = ""
        var rest = Substring.UnicodeScalarView(escaped.unicodeScalars)
        let prefixes: [(String, Int)] = [("www.", 3), ("http://", 4), ("https://", 5), ("ftp://", 3), ("mailto:", 6), ("xmpp:", 4)]
        while let first = rest.first {
            let head = String(String.UnicodeScalarView(rest.prefix(8))).lowercased()
            if let (prefix, split) = prefixes.first(where: { head.unicodeScalars.starts(with: $0.0.unicodeScalars) }) {
                result.unicodeScalars.append(contentsOf: rest.prefix(split))
                result += "\u{2060}"
                result.unicodeScalars.append(contentsOf: rest.dropFirst(split).prefix(prefix.unicodeScalars.count - split))
                rest = rest.dropFirst(prefix.unicodeScalars.count)
            } else {
                result.unicodeScalars.append(first)
                rest = rest.dropFirst()
            }
        }
        // A leading list or heading marker, or a rule, is escaped.
        return ReportEscaping.escapingLeadingBlockMarker(result)
    }

    func testShellQuoting() {
        XCTAssertEqual(
            ShellQuoting.commandLine(["biasaudit", "run", "My Sets/a.yaml", "--out", "it's", ""]),
            "biasaudit run 'My Sets/a.yaml' --out 'it'\\''s' ''")
        XCTAssertEqual(ShellQuoting.fence(for: "echo ```` done"), "`````")
        XCTAssertEqual(ShellQuoting.fence(for: "plain"), "```")
    }

    func testAxisTicksAreRound() {
        let axis = AxisScale(values: [-0.27, 0.31], range: 0...100)
        XCTAssertEqual(axis.step, 0.2, accuracy: 1e-12)
        XCTAssertEqual(axis.lower, -0.4, accuracy: 1e-12)
        XCTAssertEqual(axis.upper, 0.4, accuracy: 1e-12)
        XCTAssertEqual(axis.ticks(percent: false).map(\.1), ["−0.4", "−0.2", "0.0", "0.2", "0.4"])
        XCTAssertEqual(axis.position(0), 50, accuracy: 1e-9)
    }

    /// A hostile review: the served next-token table cut a long token (and its closing quote) and a log-probability
    /// (-12345.67 for -12345.678) with Foundation's `padding(toLength:)`. `TerminalText.pad` pads and never cuts.
    func testPaddingNeverCutsText() {
        XCTAssertEqual(TerminalText.pad("-12345.678", 9, left: false), "-12345.678")
        XCTAssertEqual(TerminalText.pad("\" internationalization\"", 16, left: false), "\" internationalization\"")
        XCTAssertEqual(TerminalText.pad("1", 4, left: false), "1   ")
        XCTAssertEqual(TerminalText.pad("0.5", 5), "  0.5")
    }
}

extension FormattingTests {
    /// A teacher's review: «“Españoles” y “Italianos”». Spanish writes "e" before the sound /i/ and "u" before /o/.
    func testSpanishListsTakeEAndUBeforeTheSoundsIAndO() {
        XCTAssertEqual(joinedList(["“Españoles”", "“Italianos”"], conjunction: "y"), "“Españoles” e “Italianos”")
        XCTAssertEqual(joinedList(["a", "b", "“Hindúes”"], conjunction: "y"), "a, b e “Hindúes”")
        XCTAssertEqual(joinedList(["agua", "hielo"], conjunction: "y"), "agua y hielo", "hie- is /je/")
        XCTAssertEqual(joinedList(["cloro", "iodo"], conjunction: "y"), "cloro y iodo", "io- is /jo/ (helper 318)")
        XCTAssertEqual(joinedList(["agua", "“Iowa”"], conjunction: "y"), "agua y “Iowa”")
        XCTAssertEqual(joinedList(["Chile", "“Irlanda”"], conjunction: "y"), "Chile e “Irlanda”")
        XCTAssertEqual(joinedList(["siete", "ocho"], conjunction: "o"), "siete u ocho")
        XCTAssertEqual(joinedList(["mujeres", "hombres"], conjunction: "o"), "mujeres u hombres")
        XCTAssertEqual(joinedList(["mujeres", "niños"], conjunction: "y"), "mujeres y niños")
        XCTAssertEqual(joinedList(["women", "Italians"], conjunction: "and"), "women and Italians")
    }
}
