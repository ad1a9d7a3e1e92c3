import AuthCore
import ServiceLifecycle

/// The hashing threads as a service of the server: at shutdown, once the HTTP server has
/// stopped (it comes earlier in the services list, so it stops later), the queued hashes
/// finish, the threads end, and then the argon2 workers.
struct HashingPoolService: Service {
    let pool: HashingPool
    let argon2: Argon2Setup

    func run() async throws {
        try? await gracefulShutdown()
        await pool.shutdown()
        argon2.stop()
    }
}
