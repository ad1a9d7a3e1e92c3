import Foundation

/// Runs password hashing on its own threads, a fixed number at once, with a bounded
/// queue in front: a login flood waits here instead of blocking event loops or growing
/// memory, and past the queue's limit callers are turned away at once (503).
///
/// Jobs also declare the memory they need, and together never use more than `memoryBudget`
/// (a job larger than the whole budget runs alone): an imported hash asking for a GiB takes
/// a GiB once, not once per thread.
public final class HashingPool: @unchecked Sendable {
    struct Job {
        let memory: Int
        let run: @Sendable () -> Void
    }

    public let concurrency: Int
    public let queueLimit: Int
    public let memoryBudget: Int
    private let condition = NSCondition()
    private var pending: [Job] = []  // guarded by condition
    private var head = 0  // guarded by condition
    private var running = 0  // guarded by condition
    private var memoryInUse = 0  // guarded by condition
    private var stopping = false  // guarded by condition
    private var threadsLeft: Int  // guarded by condition

    /// Hears how long each job ran, in seconds (for a hash-duration histogram).
    private let onJobDone: @Sendable (Double) -> Void

    /// `concurrency` worker threads; at most `queueLimit` jobs wait for one; the jobs running
    /// at once declare at most `memoryBudget` bytes together.
    public init(
        concurrency: Int, queueLimit: Int, memoryBudget: Int = .max, onJobDone: @escaping @Sendable (Double) -> Void = { _ in }
    ) {
        self.onJobDone = onJobDone
        precondition(concurrency >= 1 && queueLimit >= 0 && memoryBudget >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
        self.memoryBudget = memoryBudget
        threadsLeft = concurrency
        for index in 0..<concurrency {
            let thread = Thread { self.work(index: index) }  // the threads keep the pool until `shutdown()`
            thread.start()
        }
    }

    /// Lets the queued jobs finish, then stops the threads and returns; later jobs are
    /// refused as `overloaded`. The server calls it at shutdown, after the last request.
    public func shutdown() async {
        stop()
        while threadsRunning > 0 { try? await Task.sleep(for: .milliseconds(5)) }
    }

    private func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    private var threadsRunning: Int {
        condition.lock()
        defer { condition.unlock() }
        return threadsLeft
    }

    /// Threads running a job now.
    public var busyThreads: Int {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// Jobs waiting for a thread.
    public var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count - head
    }

    /// Runs `job`, which needs `memory` bytes, on a hashing thread; throws `AuthError`
    /// `overloaded` when the queue is full.
    public func run<T: Sendable>(memory: Int = 0, _ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            let waiting = pending.count - head
            guard !stopping, waiting < queueLimit || (running < concurrency && waiting == 0) else {
                condition.unlock()
                continuation.resume(throwing: AuthError.overloaded(retryAfter: 1))
                return
            }
            pending.append(Job(memory: max(0, memory)) { continuation.resume(with: Result { try job() }) })
            condition.signal()
            condition.unlock()
        }
    }

    /// Linux's `SCHED_IDLE`, the policy of hashing threads: they run on the CPU time request
    /// threads leave, so a login flood doesn't slow refreshes and token checks; under a load that
    /// leaves none, logins wait in the bounded queue and are turned away with 503, not the rest.
    public static let schedulingPolicy: Int32 = 5

    /// Whether `job` may start now: its memory fits beside what runs, or nothing runs.
    private func fits(_ job: Job) -> Bool {
        running == 0 || memoryInUse <= memoryBudget - job.memory
    }

    private func work(index: Int) {
        #if os(Linux)
        // The OS thread's name, for top -H and perf (Foundation's Thread.name doesn't always reach it).
        try? "pw-hash-\(index)".write(toFile: "/proc/thread-self/comm", atomically: false, encoding: .utf8)
        var parameters = sched_param(sched_priority: 0)
        _ = sched_setscheduler(0, Self.schedulingPolicy, &parameters)  // this thread only
        #endif
        while true {
            condition.lock()
            while head == pending.count || !fits(pending[head]) {
                if stopping && head == pending.count {
                    threadsLeft -= 1
                    condition.unlock()
                    return
                }
                condition.wait()
            }
            let job = pending[head]
            head += 1
            if head > 64 && head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
            running += 1
            memoryInUse += job.memory
            condition.unlock()
            let start = ContinuousClock.now
            job.run()
            let elapsed = ContinuousClock.now - start
            onJobDone(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            condition.lock()
            running -= 1
            memoryInUse -= job.memory
            condition.broadcast()  // a worker may wait for this memory
            condition.unlock()
        }
    }
}
