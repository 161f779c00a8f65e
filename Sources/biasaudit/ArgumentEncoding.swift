import ArgumentParser
import AuditRun
import Foundation
import PromptSets

/// Refuses an argument whose bytes are not UTF-8 (a hostile review: a file named in Latin-1, `caf\xE9.yaml`, became
/// `caf\u{FFFD}.yaml` in `CommandLine.arguments` and then "no such file", naming a file that does not exist). Swift
/// decodes the arguments with U+FFFD in place of each invalid byte, so the raw bytes (`CommandLine.unsafeArgv`) are
/// read before anything else, and the argument is named by its position with its bytes shown: exit 64.
enum ArgumentEncoding {
    /// The most characters of an argument shown (a long text argument keeps its start).
    static let shownLimit = 120

    /// The first argument after the program name whose bytes are not valid UTF-8: its position (1 for the first
    /// argument after `biasaudit`) and its bytes; nil when every argument is UTF-8.
    static func firstInvalid(_ arguments: [[UInt8]]) -> (position: Int, bytes: [UInt8])? {
        for (index, bytes) in arguments.enumerated().dropFirst() where String(validating: bytes, as: UTF8.self) == nil {
            return (index, bytes)
        }
        return nil
    }

    /// `bytes` as text for a message: the UTF-8 parts as characters (escaped as every quoted value is), each byte that
    /// is no part of a UTF-8 character as `\xFF`; cut with `…` past ``shownLimit`` characters.
    static func shown(_ bytes: [UInt8]) -> String {
        var text = ""
        var valid = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        func flush() {
            text += TextEscaping.message(String(valid))
            valid = String.UnicodeScalarView()
        }
        parsing: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                valid.append(Unicode.UTF8.decode(encoded))
                offset += encoded.count
            case .error(let length):
                flush()
                for byte in bytes[offset..<offset + length] { text += String(format: "\\x%02X", byte) }
                offset += length
            case .emptyInput:
                break parsing
            }
        }
        flush()
        return text.count > shownLimit ? String(text.prefix(shownLimit)) + "…" : text
    }

    /// The refusal of an argument: its position, the option it is the value of (when the argument before it is an
    /// option), its bytes, and what to do.
    static func message(position: Int, bytes: [UInt8], previous: String?) -> String {
        let option = previous.flatMap { $0.hasPrefix("-") && $0 != "--" && !$0.contains("=") ? " (the value of \($0))" : nil }
        // A URL's credentials are hidden here too (a review): the argument cannot be matched as text, its bytes are shown.
        return "Error: argument \(position)\(option ?? "") is not valid UTF-8: \"\(EndpointSpec.redactingCredentials(shown(bytes)))\" (each \\xHH is a byte "
            + "that is no part of a UTF-8 character); biasaudit reads its arguments as UTF-8 text: rename the file or "
            + "folder to a UTF-8 name (e.g. convmv -f latin1 -t utf-8 --notest NAME), or give the text in UTF-8"
    }

    /// Exits with a usage error (64) when an argument is not valid UTF-8.
    static func check() {
        let arguments = (0..<Int(CommandLine.argc)).map { index -> [UInt8] in
            guard let pointer = CommandLine.unsafeArgv[index] else { return [] }
            return Array(UnsafeRawBufferPointer(start: pointer, count: strlen(pointer)))
        }
        guard let (position, bytes) = firstInvalid(arguments) else { return }
        let previous = position > 1 ? String(validating: arguments[position - 1], as: UTF8.self) : nil
        // The arguments as typed, each invalid one as "" (`CommandLine.arguments` holds U+FFFD for its bytes, so a
        // `--junit` path read from it would name another file): a valid `--junit` path gets the refusal (a review found
        // a passing report left), an invalid one nothing. The message hides credentials itself.
        let typed = arguments.dropFirst().map { String(validating: $0, as: UTF8.self) ?? "" }
        refuseBeforeParsing(message(position: position, bytes: bytes, previous: previous), arguments: Array(typed))
    }
}
