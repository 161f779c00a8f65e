import AuditResults
import InputFiles
import PromptSets
import Foundation

/// Refuses an output that would overwrite one of the command's own inputs (`check R.json --junit R.json`,
/// `diff A.json B.json --out A.json`): the input would be destroyed and the command would exit 0.
///
/// Files are compared by device and inode, so a symlink, a hard link or another spelling of the path is
/// caught; an output that does not exist yet cannot be an input.
public enum InputOverwriteGuard {
    /// - Parameters:
    ///   - output: the file the command will write.
    ///   - option: how the user named it (`--junit`), for the message.
    ///   - inputs: the files the command reads.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when `output` is one of `inputs`.
    public static func check(output: String, option: String, inputs: [String]) throws {
        guard let target = identity(output) else { return }
        for input in inputs where identity(input) == target {
            let same = input == output ? "" : " (\(TextEscaping.path(input)) is the same file)"
            throw AuditError.usage("\(option) \(TextEscaping.line(output)) would overwrite an input of this command\(same); "
                + "write to another file")
        }
    }

    /// ``check(output:option:inputs:)`` for every file a command writes into a folder; the message names the
    /// folder and asks for another one.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64) when a file `names` would write in `directory` is one of `inputs`.
    public static func check(outputs names: [String], in directory: String, option: String, inputs: [String]) throws {
        for name in names {
            guard let target = identity((directory as NSString).appendingPathComponent(name)) else { continue }
            for input in inputs where identity(input) == target {
                throw AuditError.usage("\(option) \(TextEscaping.path(directory)): writing \(TextEscaping.line(name)) there "
                    + "would overwrite an input of this command (\(TextEscaping.path(input))); give another folder with --out")
            }
        }
    }

    /// Refuses an output folder that is an input or holds one (`run sets/a.yaml --out sets`): the reports,
    /// results and run store would land among the prompt sets, and a later `run sets` would read them.
    /// - Throws: ``AuditError/usage(_:)`` (exit 64).
    public static func check(outputFolder: String, option: String, inputs: [String]) throws {
        guard let target = identity(outputFolder) else { return }
        for input in inputs where identity(input) == target || identity(PathText.folderOrCurrent(of: input)) == target
        {
            throw AuditError.usage("\(option) \(TextEscaping.path(outputFolder)) holds the input "
                + "\(TextEscaping.path(input)); the outputs would mix with the inputs: choose another folder")
        }
    }

    private struct Identity: Equatable {
        var device: UInt64
        var inode: UInt64
    }

    /// Whether two existing paths name one file (device and inode: symlinks, hard links and other spellings count).
    static func sameFile(_ a: String, _ b: String) -> Bool {
        guard let first = identity(a) else { return false }
        return identity(b) == first
    }

    private static func identity(_ path: String) -> Identity? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return Identity(device: UInt64(status.st_dev), inode: UInt64(status.st_ino))
    }
}
