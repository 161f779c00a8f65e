import GPT2
import XCTest

final class ComputePoolTests: XCTestCase {
    /// Every index runs exactly once, on a thread number below the pool's thread count, loop after
    /// loop (thousands of short loops exercise the hand-over between generations).
    func testEveryIndexRunsExactlyOnceOverManyLoops() {
        let pool = ComputePool(threads: 3)
        for count in [0, 1, 2, 7, 64, 1000] {
            for _ in 0..<(count > 100 ? 20 : 500) {
                var hits = [Int](repeating: 0, count: count)
                var badThread = false
                hits.withUnsafeMutableBufferPointer { hits in
                    pool.parallelFor(count: count) { index, thread in
                        hits[index] += 1
                        if !(0..<pool.threadCount).contains(thread) { badThread = true }
                    }
                }
                XCTAssertEqual(hits, [Int](repeating: 1, count: count), "count \(count)")
                XCTAssertFalse(badThread, "a thread number outside 0..<\(pool.threadCount)")
            }
        }
    }

    /// Bodies with the same thread number never overlap, so per-thread scratch is safe.
    func testNoTwoBodiesShareAThreadNumberAtTheSameTime() {
        let pool = ComputePool(threads: 2)
        let busy = UnsafeMutablePointer<Int>.allocate(capacity: pool.threadCount)
        defer { busy.deallocate() }
        busy.initialize(repeating: 0, count: pool.threadCount)
        var overlaps = 0
        let lock = NSLock()
        for _ in 0..<200 {
            pool.parallelFor(count: 16) { _, thread in
                busy[thread] += 1
                if busy[thread] != 1 {
                    lock.lock()
                    overlaps += 1
                    lock.unlock()
                }
                for _ in 0..<200 { _ = busy[thread] }
                busy[thread] -= 1
            }
        }
        XCTAssertEqual(overlaps, 0)
    }

    func testRangesCoverTheCountInOrderWithoutGapsAndNestedLoopsRunSerially() {
        let pool = ComputePool(threads: 2)
        for count in [1, 5, 300] {
            var covered = [Int](repeating: 0, count: count)
            var nestedTotal = 0
            let lock = NSLock()
            covered.withUnsafeMutableBufferPointer { covered in
                pool.parallelForRanges(count: count, grain: 4) { range, _ in
                    for index in range { covered[index] += 1 }
                    var inner = 0
                    pool.parallelFor(count: 3) { _, _ in inner += 1 }
                    lock.lock()
                    nestedTotal += inner
                    lock.unlock()
                }
            }
            XCTAssertEqual(covered, [Int](repeating: 1, count: count), "count \(count)")
            // Every nested loop ran serially (all 3 of its increments kept), in a one-index loop too.
            XCTAssertEqual(nestedTotal % 3, 0, "count \(count): \(nestedTotal)")
            XCTAssertGreaterThan(nestedTotal, 0)
        }
    }

    /// A loop of one index runs on the calling thread without the pool, and a loop nested in it runs there serially too
    /// (a CI run: it went to the pool, against the documented contract).
    func testALoopNestedInAOneIndexLoopRunsSerially() {
        let pool = ComputePool(threads: 2)
        let lock = NSLock()
        // A worker that starts after a loop began waits for the next one: first see it take part.
        var workerSeen = false
        for _ in 0..<100 where !workerSeen {
            pool.parallelFor(count: 64) { _, thread in
                usleep(100)
                if thread == 1 { lock.lock(); workerSeen = true; lock.unlock() }
            }
        }
        XCTAssertTrue(workerSeen, "the pool's worker took part in a loop")
        var numbers = Set<Int>()
        var pthreads = Set<UInt>()
        pool.parallelFor(count: 1) { _, _ in
            pool.parallelFor(count: 256) { _, thread in
                usleep(100)  // long enough for a woken worker to take indices, had the loop gone to the pool
                lock.lock()
                numbers.insert(thread)
                pthreads.insert(UInt(bitPattern: Int(bitPattern: pthread_self())))
                lock.unlock()
            }
        }
        XCTAssertEqual(numbers, [0], "\(numbers) \(pthreads)")
        XCTAssertEqual(pthreads.count, 1)
    }
}
