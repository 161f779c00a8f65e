import ArgumentParser
import AuditResults
import AuditRun
import CommandSupport
import Foundation
import PromptSets

extension BiasAudit {
    /// Runs the command line as ArgumentParser's `main()` does, with six additions that a tool in
    /// pipelines needs: a closed pipe or closed standard stream never crashes it
    /// (``StandardStreams/prepare()``), an argument that is not UTF-8 is a usage error naming it
    /// (``ArgumentEncoding/check()``), a single-valued option given twice is a usage error
    /// (``RepeatedOptions/check(_:root:)``), a command name the tool does not have (`help nosuch` too) is a usage
    /// error listing the names it has (``UnknownCommands/check(_:root:)``), output that could not be written is exit 74 with a message
    /// instead of a silent exit 0 (after another failure, such as a gate that failed, the message is still
    /// printed and that failure's exit code stays), and a text argument that starts with `-` gets a hint to put `--` before it.
    static func main() async {
        StandardStreams.prepare()
        // Before anything reads `CommandLine.arguments`, where an invalid byte is already U+FFFD.
        ArgumentEncoding.check()
        RepeatedOptions.check(Array(CommandLine.arguments.dropFirst()), root: Self.self)
        EmptyPathOptions.check(Array(CommandLine.arguments.dropFirst()))
        UnknownCommands.check(Array(CommandLine.arguments.dropFirst()), root: Self.self)
        refuseTextReadAsHelp(Array(CommandLine.arguments.dropFirst()))
        do {
            var command: ParsableCommand
            do {
                command = try parseAsRoot()
            } catch {
                // A gate refused at parsing (an unknown option, a missing --policy) still replaces its --junit file, as one
                // that stops later does (a final review: the file of an earlier run was left for `if: always()`).
                if exitCode(for: error) == .validationFailure {
                    let arguments = Array(CommandLine.arguments.dropFirst())
                    GateOutputs.stoppedWhileParsing(
                        arguments, message: hidingCredentials(in: fullMessage(for: error), arguments: arguments))
                }
                throw error
            }
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            finish(error)
        }
        if let failure = StandardStreams.finishOutput() {
            StandardStreams.writeError("biasaudit: \(failure.description)\n")
            StoppingSignals.exit(failure.exitCode)
        }
        StoppingSignals.exit(0)
    }

    private static func finish(_ error: Error) -> Never {
        let code = exitCode(for: error)
        var message = hidingCredentials(in: fullMessage(for: error), arguments: Array(CommandLine.arguments.dropFirst()))
        if code == .validationFailure, let hint = dashHint(CommandLine.arguments.dropFirst(), message: message) {
            message += "\n" + hint
        }
        if code == .validationFailure, let hint = languageHint(message: message) { message += "\n" + hint }
        if code == .success {
            print(message)
        } else if !message.isEmpty {
            // Control and bidirectional characters of an argument echoed in a message (ArgumentParser's "The value
            // 'h\u{1b}tml' is invalid…", an unknown --format) are shown escaped, as every other message shows them
            // (a hostile review: raw ESC bytes reached the terminal).
            // Nor a CI workflow command from a file or folder name in it (a review: `run DIR` with a file `c ##[error]x`).
            StandardStreams.writeError(TextEscaping.defusingWorkflowCommands(TextEscaping.visible(message)) + "\n")
        }
        // Output that could not be written is said even when the command failed for another reason (a gate that
        // failed wrote its report to a full disk): that reason's exit code stays, since it is the first fault.
        if let failure = StandardStreams.finishOutput() {
            StandardStreams.writeError("biasaudit: \(failure.description)\n")
            StoppingSignals.exit(code == .success ? failure.exitCode : code.rawValue)
        }
        StoppingSignals.exit(code.rawValue)
    }

    /// `message` with every argument that holds a URL's credentials (`https://user:pw@host/v1`, a token in its query)
    /// shown as ``EndpointSpec/redactingCredentials(_:)`` shows it: ArgumentParser's own lines echo what was typed
    /// ("Unknown option '-1 ftp://u:pw@x/'", "The value 'https://u:pw@…' is invalid"; a review found the hint hid the
    /// password and the line above it printed it). Only the arguments are replaced, whole, as the value of `--opt=value`
    /// or as a piece of a comma-separated list: the rest of the message (usage, help) is not read as a URL.
    static func hidingCredentials(in message: String, arguments: [String]) -> String {
        // Each argument, the value of `--opt=value`, and the comma-separated pieces of either (`--format=html,URL` names
        // the piece it refuses: a review).
        let typed = arguments.filter { $0.contains("://") }.flatMap { argument -> [String] in
            let whole = argument.hasPrefix("-") && argument.contains("=")
                ? [argument, String(argument[argument.index(after: argument.firstIndex(of: "=")!)...])] : [argument]
            return whole + whole.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
                .filter { $0.contains("://") }
        }
        // The longest first, so that an argument is replaced whole before a value inside it.
        return typed.sorted { $0.count > $1.count }.reduce(message) { shown, text in
            let hidden = EndpointSpec.redactingCredentials(text)
            return hidden == text ? shown : shown.replacingOccurrences(of: text, with: hidden)
        }
    }

    /// Why a command without `--lang` refuses it (a teaching assistant's review: a lab sheet that said "always add
    /// --lang es" got a bare "Unknown option '--lang'" from `generate`, `next-token`, `tokenize` and `score`).
    /// `--lang` before the command name is said to go after it (a review: `biasaudit --lang es analyze …` was told to drop
    /// it).
    static func languageHint(message: String, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> String? {
        guard message.contains("Unknown option '--lang'") else { return nil }
        if let first = arguments.first, first == "--lang" || first.hasPrefix("--lang=") {
            return "hint: --lang is an option of a command, written after its name: biasaudit run --lang es …, "
                + "biasaudit report RESULTS --lang es (run, report, analyze and merge take it)"
        }
        return "hint: --lang chooses the language of the reports and of the summary printed with them: an option of "
            + "run, report, analyze and merge; this command prints English only (drop --lang)"
    }

    /// A hint for an argument that was meant as text but starts with `-` ("-1 stars, terrible"): such an
    /// argument is read as options unless `--` comes before it. Right after an option that was left
    /// without its value (`--samples -1`: "Missing value") the hint is the `--samples=-1` form instead;
    /// after an option that read it as its value and refused it (`--min-events -1`: "must be …"), none.
    static func dashHint<Arguments: Collection<String>>(_ arguments: Arguments, message: String) -> String? {
        let beforeSeparator = Array(arguments.prefix { $0 != "--" })
        guard let index = beforeSeparator.firstIndex(where: looksLikeText) else { return nil }
        let text = beforeSeparator[index]
        let shown = TextEscaping.line(EndpointSpec.redactingCredentials(text))
        if index > 0 {
            let option = beforeSeparator[index - 1]
            if option.hasPrefix("--"), !option.contains("="), !looksLikeText(option) {
                if message.contains("Missing value for '\(option) ") || message.contains("Missing value for '\(option)'") {
                    let value = TextEscaping.line(ShellQuoting.quote(EndpointSpec.redactingCredentials(text)))
                    return "hint: \"\(shown)\" starts with '-', so it is "
                        + "read as an option, not as the value of \(TextEscaping.line(option)); to give it as the value, write "
                        + "\(TextEscaping.line(option))=\(value)"
                }
                if message.contains("\(option) must") { return nil }
            }
        }
        return "hint: \"\(shown)\" starts with '-' and is read as an "
            + "option; if it is a text, put '--' before it: " + TextEscaping.line(separated(Array(arguments), moving: index))
    }

    /// The command line with the argument at `index` (before any `--`) moved after a `--`, shell-quoted, so that the
    /// hint can be pasted as it is (a teacher's review: `biasaudit generate -- "-1 stars"` left out `--model M`). The
    /// credentials of a URL in it are hidden (`http://USER:***@HOST`), as in every message (a review: a served model's
    /// password was printed).
    /// A `--lang` the command does not take is left out (a review: `score --lang es "-terrible"` was told to paste a
    /// command with `--lang es` in it, and on the next line to drop it).
    static func separated(_ arguments: [String], moving index: Int) -> String {
        let separator = arguments.firstIndex(of: "--") ?? arguments.endIndex
        var before = Array(arguments[..<separator])
        let text = before.remove(at: index)
        if RepeatedOptions.lacks("--lang", in: arguments, root: Self.self) {
            var kept: [String] = []
            var words = before.makeIterator()
            while let word = words.next() {
                if word == "--lang" { _ = words.next(); continue }
                if !word.hasPrefix("--lang=") { kept.append(word) }
            }
            before = kept
        }
        let after = separator < arguments.endIndex ? Array(arguments[(separator + 1)...]) : []
        return "biasaudit " + ShellQuoting.commandLine((before + ["--", text] + after).map(EndpointSpec.redactingCredentials))
    }

    /// Refuses, with exit 64, a text that starts with one '-' and holds an 'h' ("-hola", "- Ahora la enfermera dijo",
    /// "-the nurse said"): ArgumentParser reads it as a cluster of one-letter options, -h among them, and printed the help
    /// with exit 0, so a prompt was silently not run (a teacher's review). `-help` stays the help.
    static func refuseTextReadAsHelp(_ arguments: [String]) {
        let beforeSeparator = arguments.prefix { $0 != "--" }
        guard let index = beforeSeparator.firstIndex(where: {
            $0.count > 2 && $0.hasPrefix("-") && !$0.hasPrefix("--") && $0 != "-help" && $0.dropFirst().contains("h")
        }) else { return }
        let shown = TextEscaping.line(EndpointSpec.redactingCredentials(arguments[index]))
        var message = "Error: \"\(shown)\" starts with '-', so it is read as one-letter options, -h (help) among them"
        // After an option: its value (`--token -ish`) or a text after a flag (`--greedy -hola`), as the command
        // describes the option; both hints when it does not say (a review: `--token -ish hi` was told to move `-ish`
        // after `--`, which pasted ran with the token "hi").
        let option = index > 0 && arguments[index - 1].hasPrefix("--") && !arguments[index - 1].contains("=")
            ? arguments[index - 1] : nil
        let takesValue = option.flatMap { RepeatedOptions.takesValue($0, in: arguments, root: Self.self) }
        if let option, takesValue != false {
            let name = TextEscaping.line(option)
            message += "\nhint: " + (takesValue == true ? "to give it as the value of \(name)" : "if it is the value of \(name)")
                + ", write \(name)=\(TextEscaping.line(ShellQuoting.quote(EndpointSpec.redactingCredentials(arguments[index]))))"
        }
        if takesValue != true {
            message += "\nhint: if it is a text, put '--' before it: " + TextEscaping.line(separated(arguments, moving: index))
        }
        refuseBeforeParsing(TextEscaping.visible(message), arguments: arguments)
    }

    /// Whether an argument starting with `-` cannot be an option: a space, or not a letter after the dashes.
    private static func looksLikeText(_ argument: String) -> Bool {
        guard argument.hasPrefix("-"), argument != "-" else { return false }
        let name = argument.drop { $0 == "-" }
        guard let first = name.first else { return false }
        return argument.contains(" ") || !first.isLetter
    }
}
