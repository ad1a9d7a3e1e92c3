import Foundation

/// Runs password hashing on its own threads, a fixed number at once, with a bounded
/// queue in front: a login flood waits here instead of blocking event loops or growing
/// memory, and past the queue's limit callers are turned away at once (503).
public final class HashingPool: @unchecked Sendable {
    public let concurrency: Int
    public let queueLimit: Int
    private let condition = NSCondition()
    private var pending: [@Sendable () -> Void] = []  // guarded by condition
    private var head = 0  // guarded by condition
    private var running = 0  // guarded by condition

    /// Hears how long each job ran, in seconds (for a hash-duration histogram).
    private let onJobDone: @Sendable (Double) -> Void

    /// `concurrency` worker threads; at most `queueLimit` jobs wait for one.
    public init(concurrency: Int, queueLimit: Int, onJobDone: @escaping @Sendable (Double) -> Void = { _ in }) {
        self.onJobDone = onJobDone
        precondition(concurrency >= 1 && queueLimit >= 0)
        self.concurrency = concurrency
        self.queueLimit = queueLimit
        for index in 0..<concurrency {
            let thread = Thread { [unowned self] in
                Thread.current.name = "pw-hash-\(index)"  // set here, it is also the OS thread's (top -H, perf)
                self.work()
            }
            thread.start()
        }
    }

    /// Jobs waiting for a thread.
    public var queued: Int {
        condition.lock()
        defer { condition.unlock() }
        return pending.count - head
    }

    /// Runs `job` on a hashing thread; throws `AuthError` `overloaded` when the queue is full.
    public func run<T: Sendable>(_ job: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
            condition.lock()
            let waiting = pending.count - head
            guard waiting < queueLimit || (running < concurrency && waiting == 0) else {
                condition.unlock()
                continuation.resume(throwing: AuthError.overloaded(retryAfter: 1))
                return
            }
            pending.append {
                continuation.resume(with: Result { try job() })
            }
            condition.signal()
            condition.unlock()
        }
    }

    /// How much lower than the request threads hashing threads run (Linux `nice`): a login
    /// flood takes the CPU that is left, while refreshes and token checks keep answering fast.
    public static let niceness: Int32 = 10

    private func work() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, Self.niceness)  // this thread only, on Linux
        #endif
        while true {
            condition.lock()
            while head == pending.count { condition.wait() }
            let job = pending[head]
            head += 1
            if head > 64 && head * 2 > pending.count {
                pending.removeFirst(head)
                head = 0
            }
            running += 1
            condition.unlock()
            let start = ContinuousClock.now
            job()
            let elapsed = ContinuousClock.now - start
            onJobDone(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }
}
