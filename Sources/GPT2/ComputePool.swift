import Foundation
import Synchronization

/// A fixed team of threads, one per core, that runs the parallel loops of the forward pass and of
/// sampling: `parallelFor(count:)` hands out the indices `0..<count` one at a time to whichever thread
/// is free, the calling thread included, and returns when all are done.
///
/// Handing out work dynamically (rather than a fixed half per thread) keeps a step from waiting on a
/// thread the operating system has descheduled, which matters on a machine shared with other work.
/// Idle workers spin briefly for the next loop (a decode step runs dozens back to back) and then
/// sleep. oneDNN's own OpenMP threading is turned off for the threads that call it through
/// `matmul` (`omp_set_num_threads(1)`), so the pool's threads are the only ones computing.
public final class ComputePool: @unchecked Sendable {
    /// The process-wide pool, one thread per active processor.
    public static let shared = ComputePool(threads: ProcessInfo.processInfo.activeProcessorCount)

    /// Threads that run loop bodies, the caller of `parallelFor` included.
    public let threadCount: Int

    /// (generation << 32) | next index to hand out; a new loop starts a new generation.
    private let cursor = Atomic<Int>(0)
    /// Indices of the current loop that have finished.
    private let completed = Atomic<Int>(0)
    /// The current loop's index count and body, two slots alternating by generation parity.
    private let evenCount = Atomic<Int>(0)
    private let oddCount = Atomic<Int>(0)
    private let evenBody = Atomic<Int>(0)
    private let oddBody = Atomic<Int>(0)
    /// Workers asleep (or about to be) on `wake`.
    private let sleepers = Atomic<Int>(0)
    private let lock = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let wake = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// Serialises callers: one loop at a time.
    private let callerLock = Mutex(())

    /// Runs `body(range)` over consecutive ranges that cover `0..<count`, about four per thread
    /// (each at least `grain` long), spread over the pool like `parallelFor(count:_:)`.
    public func parallelForRanges(count: Int, grain: Int, _ body: (_ range: Range<Int>, _ thread: Int) -> Void) {
        guard count > 0 else { return }
        let pieces = max(1, min(4 * threadCount, count / max(grain, 1)))
        parallelFor(count: pieces) { piece, thread in
            body((piece * count / pieces)..<((piece + 1) * count / pieces), thread)
        }
    }

    /// Spins of an idle worker before it sleeps (about 100 µs).
    private static let idleSpins = 20_000

    /// Starts `threads - 1` worker threads (the caller is the last thread). The workers keep the pool
    /// alive and run until the process ends (sleeping when idle), so make pools once, like `shared`.
    public init(threads: Int) {
        threadCount = max(1, threads)
        pthread_mutex_init(lock, nil)
        pthread_cond_init(wake, nil)
        for worker in 1..<threadCount {
            let thread = Thread { self.work(thread: worker) }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    /// Runs `body(i)` for every i in `0..<count`, spread over the pool's threads, and returns when all
    /// have finished. `body` must be safe to run concurrently for different indices. Nested calls
    /// (from inside a body) run serially on the calling thread.
    public func parallelFor(count: Int, _ body: (Int) -> Void) {
        parallelFor(count: count) { index, _ in body(index) }
    }

    /// Runs `body(i, thread)` for every i in `0..<count` like `parallelFor(count:_:)`; `thread` (in
    /// `0..<threadCount`) numbers the pool thread running the call, so that bodies can use per-thread
    /// scratch memory: no two calls with the same `thread` run at the same time.
    public func parallelFor(count: Int, _ body: (_ index: Int, _ thread: Int) -> Void) {
        if let thread = ComputePool.currentThread {
            for index in 0..<count { body(index, thread) }
            return
        }
        guard count > 1, threadCount > 1 else {
            // Marked as a loop body too, so that a loop nested in it runs serially as documented (a CI run: a nested
            // loop inside a one-index loop went to the pool, and the test's unsynchronised counter lost an update).
            ComputePool.currentThread = 0
            defer { ComputePool.currentThread = nil }
            for index in 0..<count { body(index, 0) }
            return
        }
        callerLock.withLock { _ in
            withoutActuallyEscaping(body) { escaping in
                let box = Body(escaping)
                withExtendedLifetime(box) {
                    run(count: count, box: box)
                }
            }
        }
    }

    private func run(count: Int, box: Body) {
        let generation = (cursor.load(ordering: .relaxed) >> 32) + 1
        let slot = generation & 1
        completed.store(0, ordering: .relaxed)
        let bits = Int(bitPattern: Unmanaged.passUnretained(box).toOpaque())
        if slot == 0 {
            evenCount.store(count, ordering: .relaxed)
            evenBody.store(bits, ordering: .relaxed)
        } else {
            oddCount.store(count, ordering: .relaxed)
            oddBody.store(bits, ordering: .relaxed)
        }
        cursor.store(generation << 32, ordering: .sequentiallyConsistent)
        if sleepers.load(ordering: .sequentiallyConsistent) > 0 {
            pthread_mutex_lock(lock)
            pthread_cond_broadcast(wake)
            pthread_mutex_unlock(lock)
        }
        runIndices(generation: generation, thread: 0)
        var spins = 0
        while completed.load(ordering: .acquiring) < count {
            spins += 1
            if spins > 1000 { sched_yield() }
        }
    }

    /// Claims and runs indices of `generation` until none are left or a newer loop started.
    private func runIndices(generation: Int, thread: Int) {
        let slot = generation & 1
        ComputePool.currentThread = thread
        defer { ComputePool.currentThread = nil }
        while true {
            let current = cursor.load(ordering: .acquiring)
            guard current >> 32 == generation else { return }
            let count = slot == 0 ? evenCount.load(ordering: .relaxed) : oddCount.load(ordering: .relaxed)
            let bodyBits = slot == 0 ? evenBody.load(ordering: .relaxed) : oddBody.load(ordering: .relaxed)
            let index = current & 0xFFFF_FFFF
            guard index < count else { return }
            // The claim succeeds only while the loop is still current, so count and body belong to it.
            guard cursor.compareExchange(expected: current, desired: current + 1, ordering: .acquiringAndReleasing).exchanged
            else { continue }
            ComputePool.invoke(bodyBits, index: index, thread: thread)
            completed.add(1, ordering: .releasing)
        }
    }

    /// Runs one index of a body. Not inlined, so every reference the call takes to the body is
    /// released before the caller counts the index as completed (the caller's
    /// `withoutActuallyEscaping` checks that none is left).
    @inline(never)
    private static func invoke(_ bodyBits: Int, index: Int, thread: Int) {
        let box = Unmanaged<Body>.fromOpaque(UnsafeRawPointer(bitPattern: bodyBits)!).takeUnretainedValue()
        box.body(index, thread)
    }

    private func work(thread: Int) {
        var seen = cursor.load(ordering: .acquiring) >> 32
        while true {
            var spins = 0
            while cursor.load(ordering: .acquiring) >> 32 == seen {
                spins += 1
                if spins > ComputePool.idleSpins {
                    sleep(untilAfter: seen)
                    spins = 0
                }
            }
            seen = cursor.load(ordering: .acquiring) >> 32
            runIndices(generation: seen, thread: thread)
        }
    }

    private func sleep(untilAfter generation: Int) {
        pthread_mutex_lock(lock)
        sleepers.add(1, ordering: .sequentiallyConsistent)
        while cursor.load(ordering: .sequentiallyConsistent) >> 32 == generation {
            pthread_cond_wait(wake, lock)
        }
        sleepers.subtract(1, ordering: .sequentiallyConsistent)
        pthread_mutex_unlock(lock)
    }

    /// The pool thread number of this thread while it runs a loop body (nested loops then run
    /// serially with the same number), nil outside loop bodies.
    private static var currentThread: Int? {
        get { pthread_getspecific(currentThreadKey).map { Int(bitPattern: $0) - 1 } }
        set { pthread_setspecific(currentThreadKey, newValue.flatMap { UnsafeRawPointer(bitPattern: $0 + 1) }) }
    }

    private static let currentThreadKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// A loop body with a stable address for the workers.
    private final class Body {
        let body: (Int, Int) -> Void
        init(_ body: @escaping (Int, Int) -> Void) { self.body = body }
    }
}
