import ArgumentParser
import Generation

/// The checks `generate --sweep` and `run --sweep` share: each value parses, no parameter is swept
/// twice or also given as its own flag, and every setting of the grid is in range.
/// - Parameters:
///   - values: the `--sweep PARAM=V1,V2,…` values as given.
///   - base: the setting the sweeps apply to (the flags and their defaults).
/// - Returns: the parsed sweeps, in the order given (the first varies slowest in the grid).
/// - Throws: `ValidationError` (exit 64) naming the `--sweep` value and what to do.
///   - command: the command's name, and whether it has `--greedy`, for the hint after a bad temperature.
func validatedSweeps(
    _ values: [String], base: SamplingParameters, command: String, hasGreedy: Bool
) throws -> [SamplingSweep] {
    let sweeps: [SamplingSweep]
    do {
        sweeps = try values.map(SamplingSweep.init(parsing:))
    } catch let error as SamplingSweep.ParseError {
        throw ValidationError(error.description)
    }
    let given = Set(CommandLine.arguments.map { String($0.split(separator: "=", maxSplits: 1).first ?? "") })
    for parameter in sweeps.map(\.parameter) {
        if sweeps.filter({ $0.parameter == parameter }).count > 1 {
            throw ValidationError("--sweep \(parameter.rawValue)=… is given twice; list all its values in one --sweep")
        }
        if given.contains(parameter.flag) {
            throw ValidationError(
                "\(parameter.flag) and --sweep \(parameter.rawValue)=… both set the \(parameter.rawValue); give one")
        }
    }
    for setting in SamplingSweep.grid(sweeps, base: base) {
        do {
            try setting.validate()
        } catch let error as SamplingError {
            throw ValidationError(
                "--sweep: \(error)" + SamplingOptions.hint(for: error, command: command, hasGreedy: hasGreedy, swept: true))
        }
    }
    return sweeps
}
