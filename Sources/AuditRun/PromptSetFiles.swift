import AuditAnalysis
import AuditResults
import Foundation
import InputFiles
import PromptSets

/// A prompt set with the file it came from and the SHA-256 of its bytes.
public struct PromptSetFile: Sendable {
    /// The parsed, expanded set.
    public let set: PromptSet
    /// The path as given.
    public let path: String
    /// SHA-256 of the file's bytes (recorded in the manifest; a changed file is a different run).
    public let sha256: String
}

/// Finds and loads prompt-set files.
public enum PromptSetFiles {
    /// Every `*.yaml` / `*.yml` file directly in `directory`, sorted by name.
    /// - Throws: ``AuditError/io(path:reason:)`` when the directory cannot be listed.
    public static func discover(in directory: URL) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw AuditError.io(path: directory.path, reason: "cannot list prompt sets (\(error.localizedDescription))")
        }
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted()
            .map { directory.appendingPathComponent($0) }
    }

    /// The default prompt-set directory, relative to the working directory.
    public static let defaultDirectory = "PromptSets"

    /// The prompt-set files named on a command line: each directory stands for its `*.yaml` files, and no
    /// argument at all for every set in `PromptSets/`. Files are returned as given (checked when loaded).
    /// - Throws: ``AuditError/usage(_:)`` when there is nothing to read (no `PromptSets/`, an empty
    ///   directory), ``AuditError/io(path:reason:)`` when a directory cannot be listed.
    public static func expand(_ arguments: [String]) throws -> [URL] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if arguments.isEmpty,
            !manager.fileExists(atPath: defaultDirectory, isDirectory: &isDirectory) || !isDirectory.boolValue
        {
            throw AuditError.usage("no PROMPTSET given and no \(defaultDirectory)/ directory here; name the prompt-set files")
        }
        var files: [URL] = []
        for argument in arguments.isEmpty ? [defaultDirectory] : arguments {
            let url = URL(fileURLWithPath: argument)
            guard manager.fileExists(atPath: argument, isDirectory: &isDirectory), isDirectory.boolValue else {
                files.append(url)
                continue
            }
            let found = try discover(in: url)
            guard !found.isEmpty else {
                throw AuditError.usage("no prompt sets (*.yaml) in \(argument); give the files")
            }
            files += found
        }
        return files
    }

    /// A prompt-set file's bytes (`path` as the user named it, for messages), as `InputFile.read` reads them; a file that
    /// does not exist names the YAML files beside it (``siblings(of:shownAs:)``).
    /// - Throws: ``AuditError`` as `InputFile.read`.
    public static func read(_ url: URL, path: String? = nil) throws -> Data {
        try InputFile.read(
            url, path: path, what: "the prompt set", limit: InputFile.Limit.text,
            // The folder is listed only when the file is not there (its message is the only one that uses it; a link to
            // nothing is said to be one by `InputFile.read`).
            ifMissing: FileManager.default.fileExists(atPath: url.path) ? nil
                : "check the path" + (likelyMeant(url, shownAs: path ?? url.path).map { "; did you mean \(TextEscaping.path($0))?" }
                    ?? siblings(of: url, shownAs: path ?? url.path)))
    }

    /// The file a missing prompt set most likely meant: `NAME.yaml` beside it for a name without an extension, or the
    /// shipped set of that name in ``defaultDirectory`` (a newcomer's review: `run occupations-gender` was offered the
    /// policy.yaml of the folder it ran in). Nil when neither exists.
    static func likelyMeant(_ url: URL, shownAs path: String) -> String? {
        let name = url.pathExtension.isEmpty ? url.lastPathComponent + ".yaml" : url.lastPathComponent
        let candidates = (url.pathExtension.isEmpty ? [path + ".yaml", path + ".yml"] : []) + [defaultDirectory + "/" + name]
        return candidates.first { candidate in
            var isDirectory: ObjCBool = false
            return candidate != path && FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory)
                && !isDirectory.boolValue
        }
    }

    /// " (PromptSets holds class.yaml, immigration.yaml, …)": the YAML files beside a file that does not exist, for a
    /// misspelt name (a teacher's review: "no such file; check the path" alone, where `--modle` gets a suggestion); the
    /// folder as the path was given (`shownAs`; "this folder" for a bare name), the file itself left out (a dangling
    /// link is listed by its folder). Empty when the folder does not exist or holds no other. At most 12 names, escaped.
    static func siblings(of url: URL, shownAs path: String) -> String {
        let name = url.lastPathComponent
        guard let names = try? discover(in: url.deletingLastPathComponent()).map(\.lastPathComponent).filter({ $0 != name }),
            !names.isEmpty
        else { return "" }
        let folder = PathText.folder(of: path)
        let shown = names.prefix(12).map { TextEscaping.excerpt($0, limit: 60) }.joined(separator: ", ")
        return " (\(folder.isEmpty ? "this folder" : TextEscaping.path(folder)) holds \(shown)\(names.count > 12 ? ", …" : ""))"
    }

    /// Refuses a file given twice (the same path, or the same file by another path: ``Linter/sameFile(_:_:)``), before
    /// anything is read or said of it: `run` and `analyze` call it before they repeat lint's warnings (a review: the
    /// warnings of a set given twice were printed, and then the command was refused).
    /// - Throws: ``AuditError/usage(_:)``.
    public static func refuseRepeats(_ urls: [URL]) throws {
        for (index, url) in urls.enumerated() where urls[..<index].contains(where: { Linter.sameFile($0.path, url.path) }) {
            throw AuditError.usage("\(TextEscaping.path(url.path)) is given twice; give each prompt-set file once")
        }
    }

    /// Loads the files, refusing a file given twice and two sets with the same name.
    /// - Throws: ``AuditError`` for unreadable files or duplicate names, `PromptSetError` for malformed sets.
    public static func load(_ urls: [URL]) throws -> [PromptSetFile] {
        try refuseRepeats(urls)
        var files: [PromptSetFile] = []
        for url in urls {
            let data = try read(url)
            let set = try PromptSetLoader.load(data: data, path: url.path)
            if let other = files.first(where: { $0.set.name == set.name }) {
                throw AuditError.badInput(
                    path: url.path, reason: "prompt set name '\(set.name)' is also used by \(other.path); names must be unique")
            }
            files.append(PromptSetFile(set: set, path: url.path, sha256: FileDigests.sha256(of: data)))
        }
        return files
    }
}
