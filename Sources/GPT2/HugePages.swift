import Foundation

/// Float buffers for weights, KV caches and logits: large ones are aligned to 2 MiB and marked
/// `MADV_HUGEPAGE`, so that where transparent huge pages are enabled on request (Debian's default
/// `madvise` setting) they are backed by 2 MiB pages: 512 times fewer page faults when first
/// touched and fewer TLB misses when the matrix products stream them. Each of those faults can be
/// slow when the kernel must first compact memory into a free huge page (first-touching 520 MB took
/// 0.05–1.27 s here, against about 0.2 s with 4 KiB pages; docs/performance.md). Small buffers are
/// ordinary 64-byte-aligned allocations. Release every buffer with `HugePages.deallocate`.
public enum HugePages {
    /// The huge-page size on x86-64 and arm64 Linux.
    static let pageBytes = 2 << 20

    /// Allocates room for `count` floats (uninitialised).
    public static func allocateFloats(_ count: Int) -> UnsafeMutablePointer<Float> {
        let bytes = max(count, 1) * MemoryLayout<Float>.stride
        let alignment = bytes >= pageBytes ? pageBytes : 64
        let rounded = (bytes + alignment - 1) / alignment * alignment
        var raw: UnsafeMutableRawPointer?
        guard posix_memalign(&raw, alignment, rounded) == 0, let raw else {
            fatalError("out of memory: could not allocate \(rounded) bytes")
        }
        #if os(Linux)
            if alignment == pageBytes { _ = madvise(raw, rounded, MADV_HUGEPAGE) }
        #endif
        return raw.bindMemory(to: Float.self, capacity: max(count, 1))
    }

    /// Frees a buffer from `allocateFloats`.
    public static func deallocate(_ pointer: UnsafeMutablePointer<Float>) {
        free(pointer)
    }
}
