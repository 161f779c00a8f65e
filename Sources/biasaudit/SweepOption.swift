import ArgumentParser
import AuditResults
import Generation
import PromptSets

/// A `--sweep` value of temperature or top_p that looks written with decimal commas (`temperature=0,5,0,7`, as Spanish
/// writes 0,5), whose values then read as 0, 5, 0, 7 (a teacher's review: "lists 0.0 twice" and "found 0" said nothing
/// of the comma): the same values written with points (`--sweep temperature=0.5,0.7`); nil when the list does not look
/// so (two neighbouring pieces of digits, the first of at most 2). The parameter is read as the parser reads it (`top-p`,
/// spaces around it).
/// - Parameter everyPiece: whether every piece must be digits alone (`1,5`, not `0.5,1,2`): for valid values, which
///   run as given, only a list that has no decimal point at all reads so.
func decimalCommaReading(_ value: String, everyPiece: Bool = false) -> String? {
    let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2 else { return nil }
    let parameter = parts[0].trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "-", with: "_")
    guard ["temperature", "top_p"].contains(parameter) else { return nil }
    let pieces = parts[1].split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    let digits = { (piece: String) in !piece.isEmpty && piece.allSatisfy(\.isASCII) && piece.allSatisfy(\.isNumber) }
    guard pieces.indices.dropLast().contains(where: { pieces[$0].count <= 2 && digits(pieces[$0]) && digits(pieces[$0 + 1]) }),
        !everyPiece || pieces.allSatisfy(digits)
    else { return nil }
    // Each value once (`1,5,1,5` is 1.5 written twice, and a list of it would be refused again: a review).
    let values = pieces.count.isMultiple(of: 2) && pieces.allSatisfy(digits)
        ? stride(from: 0, to: pieces.count, by: 2).map { pieces[$0] + "." + pieces[$0 + 1] }.uniqued() : ["0.5", "0.7", "1.0"]
    // Not a top_p above 1 (`top_p=1,5` is no decimal written with a comma: a review found 1.5 suggested).
    guard parameter != "top_p" || values.allSatisfy({ (Double($0) ?? 2) <= 1 }) else { return nil }
    return "--sweep \(parameter)=\(values.joined(separator: ","))"
}

/// What a refused `--sweep` value adds when it looks written with decimal commas (``decimalCommaReading(_:everyPiece:)``):
/// "; the comma separates values, so write decimals with a point: --sweep temperature=0.5,0.7"; "" otherwise.
func decimalCommaHint(_ value: String) -> String {
    decimalCommaReading(value).map { "; the comma separates values, so write decimals with a point: \($0)" } ?? ""
}

/// The note for valid `--sweep` values written like decimal commas: `temperature=1,5` runs the temperatures 1 and 5, both
/// in range, where a Spanish 1,5 meant one value (a teacher's review); the sweep runs as given. Nil otherwise. Printed
/// by the commands once their checks have passed (a review: it came before a refusal of `--greedy`).
func decimalCommaNote(_ values: [String]) -> String? {
    // One line for each such `--sweep` (a review: `top_p=0,1` beside `temperature=1,5` ran without a word).
    let notes = values.compactMap { value in
        decimalCommaReading(value, everyPiece: true).map { withPoints in
            "biasaudit: note: " + TextEscaping.line(
                "--sweep \(TextEscaping.excerpt(value)) runs each value between the commas; if you meant decimals, write "
                    + "them with a point: \(withPoints)") + "\n"
        }
    }
    return notes.isEmpty ? nil : notes.joined()
}

/// The checks `generate --sweep` and `run --sweep` share: each value parses, no parameter is swept
/// twice or also given as its own flag, and every setting of the grid is in range.
/// - Parameters:
///   - values: the `--sweep PARAM=V1,V2,…` values as given.
///   - sampling: the setting the sweeps apply to (the flags and their defaults) and which flags were given.
///   - command: the command's name, and whether it has `--greedy`, for the hint after a bad temperature.
/// - Returns: the parsed sweeps, in the order given (the first varies slowest in the grid). Valid values that look
///   written with decimal commas run as given; the commands print ``decimalCommaNote(_:)`` when they run.
/// - Throws: `ValidationError` (exit 64) naming the `--sweep` value and what to do (with ``decimalCommaHint(_:)`` of that
///   value where its values were read or judged).
func validatedSweeps(
    _ values: [String], sampling: SamplingOptions, command: String, hasGreedy: Bool
) throws -> [SamplingSweep] {
    let base = sampling.parameters()
    // The decimal-comma hint of the value refused, where its values were read or judged: listed twice, or out of range
    // (not "--temperature and --sweep temperature=… both set", nor "given twice"; nor another --sweep's: reviews).
    var sweeps: [SamplingSweep] = []
    for value in values {
        do {
            sweeps.append(try SamplingSweep(parsing: value))
        } catch let error as SamplingSweep.ParseError {
            throw ValidationError(error.description + (error.kind == .repeatedValue ? decimalCommaHint(value) : ""))
        } catch let error as SamplingSweep.OutOfRange {
            // Beyond single precision: the same hint as any other value outside the range (a review: -1e39 lost it).
            throw ValidationError(
                error.description + SamplingOptions.hint(for: error.error, command: command, hasGreedy: hasGreedy, swept: true)
                    + decimalCommaHint(value))
        }
    }
    let given = sampling.givenFlags
    for parameter in sweeps.map(\.parameter) {
        if sweeps.filter({ $0.parameter == parameter }).count > 1 {
            throw ValidationError("--sweep \(parameter.rawValue)=… is given twice; list all its values in one --sweep")
        }
        if given.contains(parameter.flag) {
            throw ValidationError(
                "\(parameter.flag) and --sweep \(parameter.rawValue)=… both set the \(parameter.rawValue); give one")
        }
    }
    // Each value on its own, as given (before rounding to Float); the ranges do not depend on one another.
    for (sweep, written) in zip(sweeps, values) {
        for value in sweep.values {
            var temperature = SamplingParameters.asWritten(base.temperature), topK = base.topK
            var topP = SamplingParameters.asWritten(base.topP)
            switch sweep.parameter {
            case .temperature: temperature = value
            case .topK: topK = Int(value)
            case .topP: topP = value
            }
            do {
                try SamplingParameters.validate(temperature: temperature, topK: topK, topP: topP)
            } catch let error as SamplingError {
                throw ValidationError(
                    "--sweep: \(error)" + SamplingOptions.hint(for: error, command: command, hasGreedy: hasGreedy, swept: true)
                        + decimalCommaHint(written))
            }
        }
    }
    return sweeps
}
