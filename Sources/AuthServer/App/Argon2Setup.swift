import AuthCore
import Logging

/// Where the server's argon2 runs, and what stops with the hashing pool.
struct Argon2Setup: Sendable {
    let kernel: any Argon2Kernel
    /// Ends the workers, once the hashing pool has stopped.
    let stop: @Sendable () -> Void

    /// `configuration.hashConcurrency` helper processes of `argon2WorkerExecutable` (on Linux);
    /// in this process when there is none (the in-process tests).
    init(_ configuration: ServerConfiguration, logger: Logger) throws {
        #if os(Linux)
        if let executable = configuration.argon2WorkerExecutable {
            let workers = try Argon2Workers(executable: executable, count: configuration.hashConcurrency, logger: logger)
            kernel = workers
            stop = { workers.shutdown() }
            return
        }
        #endif
        kernel = InProcessArgon2Kernel()
        stop = {}
    }
}
