#if os(Linux)
import AuthCore
import AuthCrypto
import Glibc
import Logging
import Synchronization

/// libsodium's argon2 in helper processes of the server's own binary (`Argon2WorkerMain`),
/// one per hashing thread: each hash maps, faults in and unmaps 64 MiB, and in the server's
/// address space the page faults, the `mmap` lock and the TLB shootdowns of every `munmap`
/// reached the request threads too (PERFORMANCE.md). Calls block; the hashing pool's threads
/// make them.
///
/// A worker that dies, answers garbage or doesn't answer within `answerTimeout` is killed,
/// reaped and replaced, and the request retried once on the new one; a second failure is thrown.
final class Argon2Workers: Argon2Kernel {
    let executable: String
    /// Workers kept waiting for a call: the hashing pool's concurrency.
    let count: Int
    /// How long a worker may take to answer before it counts as stuck (stopped, or starved):
    /// far beyond any hash, so that a stuck worker never holds a hashing thread for good.
    let answerTimeout: Duration
    private let logger: Logger
    /// The idle workers; nil once shut down.
    private let idle: Mutex<[Argon2WorkerProcess]?>

    /// Starts `count` workers of `executable`.
    init(executable: String, count: Int, answerTimeout: Duration = .seconds(30), logger: Logger) throws {
        self.executable = executable
        self.count = count
        self.answerTimeout = answerTimeout
        self.logger = logger
        var workers: [Argon2WorkerProcess] = []
        do {
            for _ in 0..<count {
                workers.append(try WorkerSpawner.shared.spawn(executable: executable, answerTimeout: answerTimeout))
            }
        } catch {
            workers.forEach { $0.close() }
            throw error
        }
        idle = Mutex(workers)
    }

    func tag(for request: Argon2Request) throws -> [UInt8] {
        guard let header = Argon2Frame.RequestHeader(request).bytes else { throw CryptoError.kdfFailed }
        let prefix = header + request.salt
        let worker = try checkOut()
        let tag: [UInt8]?
        do {
            tag = try answer(prefix, request, on: worker)
        } catch {
            logger.warning("argon2 worker failed; retrying on a new one", metadata: ["error": "\(error)"])
            tag = try answer(prefix, request, on: try spawn())
        }
        guard let tag else { throw CryptoError.kdfFailed }  // libsodium refused the parameters
        return tag
    }

    /// `worker`'s answer (nil: libsodium refused). A worker that answered goes back to the idle
    /// list; one that failed is killed and reaped.
    private func answer(_ prefix: [UInt8], _ request: Argon2Request, on worker: Argon2WorkerProcess)
        throws(Argon2WorkerFailure) -> [UInt8]?
    {
        do {
            let tag = try worker.answer(prefix: prefix, password: request.password, outputLength: request.outputLength)
            checkIn(worker)
            return tag
        } catch {
            worker.kill()
            throw error
        }
    }

    /// An idle worker, or a new one when all are busy (a hash outside the pool, at start).
    /// Idle workers that exited meanwhile (killed, out of memory) are reaped and replaced first.
    private func checkOut() throws(Argon2WorkerFailure) -> Argon2WorkerProcess {
        let taken = idle.withLock { idle -> (worker: Argon2WorkerProcess?, exited: [pid_t])? in
            guard var workers = idle else { return nil }
            let exited = workers.filter { $0.reapIfExited() }.map(\.pid)
            workers.removeAll { exited.contains($0.pid) }
            let worker = workers.popLast()
            idle = workers
            return (worker, exited)
        }
        guard let taken else { throw Argon2WorkerFailure(description: "the argon2 workers are shut down") }
        for pid in taken.exited {
            logger.warning("argon2 worker exited; replacing it", metadata: ["pid": "\(pid)"])
            do {
                checkIn(try spawn())
            } catch {
                logger.error("cannot replace an argon2 worker: \(error)")  // the next call tries again
            }
        }
        if let worker = taken.worker { return worker }
        return try spawn()
    }

    private func spawn() throws(Argon2WorkerFailure) -> Argon2WorkerProcess {
        try WorkerSpawner.shared.spawn(executable: executable, answerTimeout: answerTimeout)
    }

    /// Keeps `worker` for the next call, unless `count` already wait or the workers are shut down.
    private func checkIn(_ worker: Argon2WorkerProcess) {
        let kept = idle.withLock { idle in
            guard idle != nil, idle!.count < count else { return false }
            idle!.append(worker)
            return true
        }
        if !kept { worker.close() }
    }

    /// The idle workers' pids (what the tests kill).
    var idlePIDs: [pid_t] { idle.withLock { $0?.map(\.pid) ?? [] } }

    /// Ends and reaps every idle worker; later calls throw. The server calls it once the
    /// hashing pool has stopped, so none is busy.
    func shutdown() {
        let workers = idle.withLock { idle in
            defer { idle = nil }
            return idle ?? []
        }
        workers.forEach { $0.close() }
    }
}
#endif
