import ArgumentParser
import AuditRun
import Foundation
import PromptSets

/// Refuses a command name the tool does not have, with the names it does have: `biasaudit help nosuch` printed the
/// top-level help and exited 0 (a newcomer's review), and `biasaudit nosuch` said only "Unexpected argument 'nosuch'".
///
/// The names are read from ArgumentParser's own command tree (`configuration.subcommands`), so every command, present
/// and future, is known without a list to keep in step. A usage error in ArgumentParser's words, exit 64.
enum UnknownCommands {
    /// The first word among `arguments` (the command line without the program name) that stands where a command name
    /// must and names none under `root`, with the command it was looked up in and the names that command has; nil when
    /// every such word is a command. `help` looks its words up the same way (`help models pull`). The scan stops at
    /// the first option (`-…`) and at a command without subcommands, whose words are its own arguments; under `help`,
    /// where every word names a command, a word after such a command is unknown (`known` empty): `help run nosuch` and
    /// `help help nosuch` printed a help and exited 0 (a review).
    static func firstUnknown(in arguments: [String], root: ParsableCommand.Type)
        -> (word: String, command: String, known: [String])?
    {
        var words = arguments[...]
        let helping = words.first == "help"
        if helping { words = words.dropFirst() }
        var command = root
        var path = [root._commandName]
        // Under `help` every word is a command name, those after `--` too (`help run -- nosuch` printed run's help).
        var separated = false
        for (offset, word) in zip(words.indices, words) {
            if helping, word == "--", !separated {
                separated = true
                continue
            }
            if word.hasPrefix("-"), !separated { return nil }
            // `help help` is ArgumentParser's own (a review: refused while the list named it); an option after it
            // (`help help --help`) is ArgumentParser's too.
            if word == "help", command == root {
                var rest = words[words.index(after: offset)...]
                if !separated, rest.first == "--" { (rest, separated) = (rest.dropFirst(), true) }
                guard helping, let next = rest.first, separated || !next.hasPrefix("-") else { return nil }
                return (next, "\(root._commandName) help", [])
            }
            let subcommands: [ParsableCommand.Type] = command.configuration.subcommands
            if subcommands.isEmpty { return helping ? (word, path.joined(separator: " "), []) : nil }
            var names: [String] = []
            var next: ParsableCommand.Type?
            for subcommand in subcommands {
                let name = subcommand._commandName
                names.append(name)
                if name == word || subcommand.configuration.aliases.contains(word) { next = subcommand }
            }
            guard let next else { return (word, path.joined(separator: " "), names + (path.count == 1 ? ["help"] : [])) }
            command = next
            path.append(next._commandName)
        }
        return nil
    }

    /// Exits with a usage error (64) when a command name is not one of the tool's.
    static func check(_ arguments: [String], root: ParsableCommand.Type) {
        guard let unknown = firstUnknown(in: arguments, root: root) else { return }
        refuseBeforeParsing(
            "Error: '\(TextEscaping.excerpt(EndpointSpec.redactingCredentials(unknown.word), limit: 60))' is not a command of "
                + "'\(unknown.command)'; "
                + (unknown.known.isEmpty ? "it has none" : "its commands are \(unknown.known.joined(separator: ", "))")
                + "\n  See '\(unknown.command) --help' for more information.", arguments: arguments)
    }
}
