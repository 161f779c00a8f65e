import ArgumentParser
import AuditRun
import Foundation
import PromptSets

/// Refuses a single-valued option given more than once (`generate --model A --model B` would otherwise
/// run only B: ArgumentParser keeps the last value of a non-array option without a word).
///
/// Which options take one value is read from ArgumentParser's own description of the command tree
/// (`_dumpHelp()`, the JSON behind `--experimental-dump-help`), so every subcommand, present and
/// future, is covered without a list to keep in step. Options declared as arrays (repeatable) and
/// flags are left alone.
enum RepeatedOptions {
    /// The parts of ArgumentParser's `ToolInfoV0` JSON read here.
    private struct ToolInfo: Decodable {
        var command: Command
    }

    private struct Command: Decodable {
        var commandName: String
        var arguments: [Argument]?
        var subcommands: [Command]?
    }

    private struct Argument: Decodable {
        var kind: String
        var isRepeating: Bool
        var names: [Name]?
    }

    private struct Name: Decodable {
        var kind: String
        var name: String

        /// The spelling on the command line: `--name`, `-n` or `-name`.
        var spelling: String {
            switch kind {
            case "long": return "--" + name
            case "short": return "-" + name
            default: return "-" + name
            }
        }
    }

    /// The first single-valued option that `arguments` (the command line after the program name) gives
    /// more than once, with its values, or nil.
    static func firstRepeat<Root: ParsableCommand>(
        in arguments: [String], root: Root.Type
    ) -> (command: String, option: String, values: [String])? {
        guard let (command, path, rest) = subcommand(of: arguments, root: root) else { return nil }
        let options = (command.arguments ?? []).filter { $0.kind == "option" }
        var single: [String: String] = [:]
        var takesValue: Set<String> = []
        for option in options {
            let spellings = (option.names ?? []).map(\.spelling)
            for spelling in spellings {
                takesValue.insert(spelling)
                if !option.isRepeating { single[spelling] = spellings.first }
            }
        }
        var seen: [String: [String]] = [:]
        var order: [String] = []
        var index = rest.startIndex
        while index < rest.endIndex {
            let word = rest[index]
            if word == "--" { break }
            let parts = word.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            var value: String?
            if parts.count == 2 {
                value = String(parts[1])
            } else if takesValue.contains(name), index + 1 < rest.endIndex {
                index += 1
                value = rest[index]
            }
            if let canonical = single[name] {
                if seen[canonical] == nil { order.append(canonical) }
                seen[canonical, default: []].append(value ?? "")
            }
            index += 1
        }
        guard let repeated = order.first(where: { seen[$0]!.count > 1 }) else { return nil }
        return (path.joined(separator: " "), repeated, seen[repeated]!)
    }

    /// The subcommand `arguments` (the command line after the program name) runs, as ArgumentParser describes it, with
    /// its names and the arguments after them; nil when the description cannot be read.
    private static func subcommand<Root: ParsableCommand>(
        of arguments: [String], root: Root.Type
    ) -> (command: Command, path: [String], rest: ArraySlice<String>)? {
        guard let info = try? JSONDecoder().decode(ToolInfo.self, from: Data(Root._dumpHelp().utf8)) else {
            return nil
        }
        // Walk down the subcommand names that lead the command line.
        var command = info.command
        var path = [command.commandName]
        var rest = arguments[...]
        while let next = rest.first, let sub = command.subcommands?.first(where: { $0.commandName == next }) {
            command = sub
            path.append(sub.commandName)
            rest = rest.dropFirst()
        }
        return (command, path, rest)
    }

    /// Whether `option` (`--token`) takes a value in the subcommand `arguments` run: true for an option, false for a
    /// flag, nil when the command has no such name (or its description cannot be read).
    static func takesValue<Root: ParsableCommand>(_ option: String, in arguments: [String], root: Root.Type) -> Bool? {
        guard let (command, _, _) = subcommand(of: arguments, root: root) else { return nil }
        guard let argument = (command.arguments ?? []).first(where: { ($0.names ?? []).map(\.spelling).contains(option) })
        else { return nil }
        return argument.kind == "option"
    }

    /// Whether the subcommand `arguments` run (not the root: an option before the command's name is misplaced, not
    /// foreign) has no option or flag named `option`; false when its description cannot be read.
    static func lacks<Root: ParsableCommand>(_ option: String, in arguments: [String], root: Root.Type) -> Bool {
        guard let (command, path, _) = subcommand(of: arguments, root: root), path.count > 1 else { return false }
        return !(command.arguments ?? []).contains { ($0.names ?? []).map(\.spelling).contains(option) }
    }

    /// Exits with a usage error (64), in ArgumentParser's words, when a single-valued option is repeated.
    static func check<Root: ParsableCommand>(_ arguments: [String], root: Root.Type) {
        guard let (command, option, values) = firstRepeat(in: arguments, root: root) else { return }
        // The values are the user's (a model folder's name may hold an ESC): shown, never sent to the terminal.
        let given = values.map { "'\(TextEscaping.excerpt(EndpointSpec.redactingCredentials($0), limit: 120))'" }
            .joined(separator: ", ")
        refuseBeforeParsing(
            "Error: \(option) was given \(values.count) times (\(given)) but takes one value; give it once\n"
                + "  See '\(command) --help' for more information.", arguments: arguments)
    }
}

/// Refuses an empty path given to an option that names a file or folder (`--out ""` wrote a whole run into the
/// current folder: a review), in ArgumentParser's words and with its exit code (64).
enum EmptyPathOptions {
    /// The options whose value is a path, in every command that has them, with what they take (a practitioner's review:
    /// `--policy=` was told to "give a file or folder", and a folder given to it is refused). `bench`'s `--prompts` and
    /// `--audit-completions` are counts, refused as numbers are.
    static let takes: [String: String] = [
        "--out": "a file or folder", "--templates": "a folder", "--baseline": "a file", "--junit": "a file",
        "--policy": "a file", "--gender-lexicon": "a file", "--jsonl": "a file",
    ]

    /// The options whose value is a path (``takes``).
    static var names: Set<String> { Set(takes.keys) }

    /// The first such option given an empty value (`--out ""` or `--out=`), or nil; the scan stops at `--`.
    static func firstEmpty(in arguments: [String]) -> String? {
        var index = arguments.startIndex
        while index < arguments.endIndex {
            let word = arguments[index]
            if word == "--" { return nil }
            if word.hasSuffix("="), names.contains(String(word.dropLast())) { return String(word.dropLast()) }
            if names.contains(word), index + 1 < arguments.endIndex, arguments[index + 1].isEmpty { return word }
            index += 1
        }
        return nil
    }

    /// Refuses an empty path among a command's arguments (`biasaudit analyze ""` said "no such file" with exit 74,
    /// `report ""` read the current folder: a hostile review), as an empty option value is refused: exit 64.
    /// - Parameter name: the argument in words ("the results file", "a prompt set").
    static func refuseEmpty(_ paths: [String], name: String) throws {
        guard paths.contains(where: \.isEmpty) else { return }
        throw ValidationError("\(name) is given an empty path; give a file or folder")
    }

    /// Exits with a usage error (64) when a path option is given an empty value.
    static func check(_ arguments: [String]) {
        guard let option = firstEmpty(in: arguments) else { return }
        refuseBeforeParsing(
            "Error: \(option) is given an empty path; give \(takes[option] ?? "a file or folder") (e.g. \(option) ./NAME), "
                + "or leave the option out",
            arguments: arguments)
    }
}
