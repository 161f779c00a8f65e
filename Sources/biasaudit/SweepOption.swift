import ArgumentParser
import CommandSupport
import Generation
import PromptSets

/// A `--sweep` of temperature or top_p that looks written with decimal commas (`temperature=0,5,0,7`, as Spanish writes
/// 0,5), whose values then read as 0, 5, 0, 7 (a teacher's review: "lists 0.0 twice" and "found 0" said nothing of the
/// comma): the value as given and the same values written with points (`--sweep temperature=0.5,0.7`); nil when no value
/// list looks so (two neighbouring pieces of digits, the first of at most 2).
func decimalCommaReading(_ values: [String]) -> (value: String, withPoints: String)? {
    for value in values {
        let parts = value.split(separator: "=", maxSplits: 1).map(String.init)
        guard parts.count == 2, ["temperature", "top_p"].contains(parts[0]) else { continue }
        let pieces = parts[1].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        let digits = { (piece: String) in !piece.isEmpty && piece.allSatisfy(\.isASCII) && piece.allSatisfy(\.isNumber) }
        guard pieces.indices.dropLast().contains(where: { pieces[$0].count <= 2 && digits(pieces[$0]) && digits(pieces[$0 + 1]) })
        else { continue }
        let example = pieces.count.isMultiple(of: 2) && pieces.allSatisfy(digits)
            ? stride(from: 0, to: pieces.count, by: 2).map { pieces[$0] + "." + pieces[$0 + 1] }.joined(separator: ",")
            : "0.5,0.7,1.0"
        return (value, "--sweep \(parts[0])=\(example)")
    }
    return nil
}

/// What a refused `--sweep` adds when its values look written with decimal commas (``decimalCommaReading(_:)``):
/// "; the comma separates values, so write decimals with a point: --sweep temperature=0.5,0.7"; nil otherwise.
func decimalCommaHint(_ values: [String]) -> String? {
    decimalCommaReading(values).map { "; the comma separates values, so write decimals with a point: \($0.withPoints)" }
}

/// The note for valid `--sweep` values that look written with decimal commas: `temperature=1,5` runs the temperatures 1
/// and 5, both in range, where a Spanish 1,5 meant one value (a teacher's review); the sweep runs as given. Nil otherwise.
func decimalCommaNote(_ values: [String]) -> String? {
    decimalCommaReading(values).map {
        "biasaudit: note: " + TextEscaping.line(
            "--sweep \(TextEscaping.excerpt($0.value)) runs each value between the commas; if you meant decimals, write "
                + "them with a point: \($0.withPoints)") + "\n"
    }
}

/// The checks `generate --sweep` and `run --sweep` share: each value parses, no parameter is swept
/// twice or also given as its own flag, and every setting of the grid is in range.
/// - Parameters:
///   - values: the `--sweep PARAM=V1,V2,…` values as given.
///   - sampling: the setting the sweeps apply to (the flags and their defaults) and which flags were given.
///   - command: the command's name, and whether it has `--greedy`, for the hint after a bad temperature.
/// - Returns: the parsed sweeps, in the order given (the first varies slowest in the grid). Valid values that look
///   written with decimal commas run as given, with ``decimalCommaNote(_:)`` on standard error.
/// - Throws: `ValidationError` (exit 64) naming the `--sweep` value and what to do (with ``decimalCommaHint(_:)`` where
///   the values were read or judged).
func validatedSweeps(
    _ values: [String], sampling: SamplingOptions, command: String, hasGreedy: Bool
) throws -> [SamplingSweep] {
    let base = sampling.parameters()
    // Added only where the values were read or judged: a value listed twice, or out of range (not to "--temperature and
    // --sweep temperature=… both set", nor to "given twice": reviews).
    let commaHint = decimalCommaHint(values) ?? ""
    let sweeps: [SamplingSweep]
    do {
        sweeps = try values.map(SamplingSweep.init(parsing:))
    } catch let error as SamplingSweep.ParseError {
        throw ValidationError(error.description + (error.kind == .repeatedValue ? commaHint : ""))
    } catch let error as SamplingSweep.OutOfRange {
        // Beyond single precision: the same hint as any other value outside the range (a review: -1e39 lost it).
        throw ValidationError(
            error.description + SamplingOptions.hint(for: error.error, command: command, hasGreedy: hasGreedy, swept: true)
                + commaHint)
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
    for sweep in sweeps {
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
                        + commaHint)
            }
        }
    }
    if let note = decimalCommaNote(values) { StandardStreams.writeError(note) }
    return sweeps
}
