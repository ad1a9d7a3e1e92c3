import AuthCore
import ServiceLifecycle

/// The hashing threads as a service of the server: at shutdown, once the HTTP server has
/// stopped (it comes earlier in the services list, so it stops later), the queued hashes
/// finish and the threads end.
struct HashingPoolService: Service {
    let pool: HashingPool

    func run() async throws {
        try? await gracefulShutdown()
        await pool.shutdown()
    }
}
