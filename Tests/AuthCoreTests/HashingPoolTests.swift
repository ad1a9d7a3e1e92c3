import Foundation
import Synchronization
import Testing

@testable import AuthCore

@Suite struct HashingPoolTests {
    @Test func refusesWorkBeyondTheQueueAtOnce() async throws {
        let pool = HashingPool(concurrency: 1, queueLimit: 1)
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        defer { release.signal() }  // never leave the worker blocked, even when an expectation fails
        let busy = Task { try await pool.run { started.signal(); release.wait() } }
        try await poll { started.wait(timeout: .now()) == .success }
        let queued = Task { try await pool.run {} }
        try await poll { pool.queued == 1 }
        await #expect(throws: AuthError.overloaded(retryAfter: 1)) { try await pool.run {} }
        release.signal()
        try await busy.value
        try await queued.value
        try await pool.run {}
    }

    /// The most memory declared by jobs running at the same moment.
    final class PeakMemory: Sendable {
        private let state = Mutex((current: 0, peak: 0))
        var peak: Int { state.withLock { $0.peak } }

        func job(_ memory: Int) -> @Sendable () -> Void {
            {
                self.state.withLock {
                    $0.current += memory
                    $0.peak = max($0.peak, $0.current)
                }
                Thread.sleep(forTimeInterval: 0.02)
                self.state.withLock { $0.current -= memory }
            }
        }
    }

    /// Jobs that together would pass the memory budget run one after the other; a job larger
    /// than the whole budget still runs, alone.
    @Test(arguments: [([60, 60, 60, 60], 60), ([30, 30, 30, 60], 90), ([60, 250, 60, 10], 250)])
    func keepsTheMemoryOfRunningJobsWithinTheBudget(jobs: [Int], peak: Int) async throws {
        let pool = HashingPool(concurrency: 4, queueLimit: 100, memoryBudget: 100)
        let memory = PeakMemory()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for size in jobs { group.addTask { try await pool.run(memory: size, memory.job(size)) } }
            try await group.waitForAll()
        }
        #expect(memory.peak == peak)
    }

    /// Waits, briefly and boundedly, for `condition`.
    func poll(_ condition: () -> Bool) async throws {
        for _ in 0..<500 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not reached in 5 s")
    }

    #if os(Linux)
    /// Hashing threads are named for `top -H` and run only on CPU time request threads leave.
    @Test func threadsAreNamedAndScheduledIdle() async throws {
        let pool = HashingPool(concurrency: 1, queueLimit: 1)
        let (comm, stat) = try await pool.run {
            (try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8),
             try String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8))
        }
        #expect(comm.hasPrefix("pw-hash-"))
        // Field 41 of stat is the scheduling policy; the command name (field 2) has no spaces here.
        #expect(Int32(stat.split(separator: " ")[40]) == HashingPool.schedulingPolicy)
    }
    #endif

    @Test func propagatesErrorsAndResults() async throws {
        struct Boom: Error {}
        #expect(try await Harness.pool.run { 21 * 2 } == 42)
        await #expect(throws: Boom.self) { try await Harness.pool.run { throw Boom() } }
    }
}

@Suite struct HashingPoolShutdownTests {
    /// At shutdown the queued jobs still run, then the threads end; later jobs are refused.
    @Test func finishesQueuedJobsThenStopsItsThreads() async throws {
        let pool = HashingPool(concurrency: 2, queueLimit: 10)
        let gate = DispatchSemaphore(value: 0)
        let jobs = (0..<6).map { n in Task { try await pool.run { gate.wait(); return n } } }
        for _ in 0..<500 where pool.busyThreads + pool.queued < 6 { try await Task.sleep(for: .milliseconds(10)) }
        let stopped = Task { await pool.shutdown() }
        for _ in 0..<6 { gate.signal() }
        await stopped.value
        var done: [Int] = []
        for job in jobs { done.append(try await job.value) }
        #expect(done == Array(0..<6))
        await #expect(throws: AuthError.overloaded(retryAfter: 1)) { try await pool.run {} }
    }
}
