#if os(Linux)
import Foundation
import Synchronization

/// The one thread that starts argon2 workers. Linux sends a worker its parent-death signal
/// when the *thread* that spawned it ends, not the process; the threads that need a worker
/// (Dispatch's, retired when idle; the hashing pool's, ended at shutdown) may end before the
/// server does, and this one lives as long as the process.
final class WorkerSpawner: @unchecked Sendable {  // @unchecked: `requests` is guarded by `condition`
    static let shared = WorkerSpawner()

    private let condition = NSCondition()
    private var requests: [@Sendable () -> Void] = []

    private init() {
        let thread = Thread { self.serve() }
        thread.name = "argon2-spawner"
        thread.start()
    }

    /// A new worker of `executable` (see `Argon2WorkerProcess.spawn`), started on the
    /// spawner's thread; the caller waits.
    func spawn(executable: String, answerTimeout: Duration) throws(Argon2WorkerFailure) -> Argon2WorkerProcess {
        let outcome = Mutex<Result<Argon2WorkerProcess, Argon2WorkerFailure>?>(nil)
        let done = DispatchSemaphore(value: 0)
        condition.lock()
        requests.append {
            outcome.withLock {
                $0 = Result { () throws(Argon2WorkerFailure) in
                    try .spawn(executable: executable, answerTimeout: answerTimeout)
                }
            }
            done.signal()
        }
        condition.signal()
        condition.unlock()
        done.wait()
        return try outcome.withLock { $0! }.get()
    }

    private func serve() {
        while true {
            condition.lock()
            while requests.isEmpty { condition.wait() }
            let request = requests.removeFirst()
            condition.unlock()
            request()
        }
    }
}
#endif
