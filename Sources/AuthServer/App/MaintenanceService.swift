import AuthCore
import Logging
import ServiceLifecycle

/// The server's housekeeping: reloads signing keys every few seconds, so a rotation made
/// with `authctl` is published and used without a restart, and now and then forgets
/// failed-login records that have been quiet for a day.
struct MaintenanceService: Service {
    static let keyInterval = Duration.seconds(5)
    /// Key reloads between purges: about ten minutes.
    static let purgeEvery = 120
    let service: TokenService
    let logger: Logger

    func run() async {
        // Ends quietly at shutdown: the sleep throws once the service is cancelled.
        try? await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                try await Task.sleep(for: Self.keyInterval)
                round += 1
                do {
                    try await service.reloadKeys()
                    if round % Self.purgeEvery == 0 { try await service.purgeStaleLoginFailures() }
                } catch {
                    logger.error("maintenance failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
