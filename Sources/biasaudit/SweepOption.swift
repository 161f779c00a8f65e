import ArgumentParser
import Generation

/// The checks `generate --sweep` and `run --sweep` share: each value parses, no parameter is swept
/// twice or also given as its own flag, and every setting of the grid is in range.
/// - Parameters:
///   - values: the `--sweep PARAM=V1,V2,…` values as given.
///   - sampling: the setting the sweeps apply to (the flags and their defaults) and which flags were given.
/// - Returns: the parsed sweeps, in the order given (the first varies slowest in the grid).
/// - Throws: `ValidationError` (exit 64) naming the `--sweep` value and what to do.
///   - command: the command's name, and whether it has `--greedy`, for the hint after a bad temperature.
func validatedSweeps(
    _ values: [String], sampling: SamplingOptions, command: String, hasGreedy: Bool
) throws -> [SamplingSweep] {
    do {
        return try checkedSweeps(values, sampling: sampling, command: command, hasGreedy: hasGreedy)
    } catch let error as ValidationError {
        // Only where the values were read or judged: a value listed twice, or out of range (not "--temperature and --sweep
        // temperature=… both set", nor "given twice": reviews).
        let aboutValues = error.message.hasPrefix("--sweep: ") || error.message.contains(" lists ")
        guard aboutValues, let hint = decimalCommaHint(values) else { throw error }
        throw ValidationError(error.message + hint)
    }
}

/// The hint for a `--sweep` of temperature or top_p written with decimal commas (`temperature=0,5,0,7`, as Spanish
/// writes 0,5), whose values then read as 0, 5, 0, 7 (a teacher's review: "lists 0.0 twice" and "found 0" said nothing
/// of the comma); nil when no value list looks so (two neighbouring pieces of digits, the first of at most 2).
func decimalCommaHint(_ values: [String]) -> String? {
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
        return "; the comma separates values, so write decimals with a point: --sweep \(parts[0])=\(example)"
    }
    return nil
}

private func checkedSweeps(
    _ values: [String], sampling: SamplingOptions, command: String, hasGreedy: Bool
) throws -> [SamplingSweep] {
    let base = sampling.parameters()
    let sweeps: [SamplingSweep]
    do {
        sweeps = try values.map(SamplingSweep.init(parsing:))
    } catch let error as SamplingSweep.ParseError {
        throw ValidationError(error.description)
    } catch let error as SamplingSweep.OutOfRange {
        // Beyond single precision: the same hint as any other value outside the range (a review: -1e39 lost it).
        throw ValidationError(
            error.description + SamplingOptions.hint(for: error.error, command: command, hasGreedy: hasGreedy, swept: true))
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
                    "--sweep: \(error)" + SamplingOptions.hint(for: error, command: command, hasGreedy: hasGreedy, swept: true))
            }
        }
    }
    return sweeps
}
