import Foundation

/// The process's resident memory as Linux reports it in `/proc/self/status` (elsewhere: unmeasured).
enum ResidentMemory {
    /// The peak resident set size since start or the last ``resetPeak()``, in bytes (`VmHWM`); nil
    /// when `/proc` is not available.
    static func peakBytes() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 3, let kilobytes = Int(fields[1]), fields[2] == "kB" else { return nil }
            return kilobytes * 1024
        }
        return nil
    }

    /// Resets the peak to the current resident size (writes `5` to `/proc/self/clear_refs`, Linux ≥ 4.0).
    /// - Returns: whether the reset worked (false off Linux or where `/proc` is read-only).
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data("5".utf8))
            return true
        } catch {
            return false
        }
    }
}
