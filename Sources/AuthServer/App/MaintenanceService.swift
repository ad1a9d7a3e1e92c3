import AuthCore
import Logging
import ServiceLifecycle

/// The server's housekeeping: reloads signing keys every few seconds, so a rotation made
/// with `authctl` is published and used without a restart; counts live sessions for
/// `/metrics` every minute (so a scrape never scans a table); and every ten minutes
/// forgets quiet failed-login records and purges what the retention settings let go.
struct MaintenanceService: Service {
    static let keyInterval = Duration.seconds(5)
    /// Key reloads between session counts: about a minute.
    static let countEvery = 12
    /// Key reloads between purges: about ten minutes.
    static let purgeEvery = 120
    let service: TokenService
    let logger: Logger
    /// Hears the number of live sessions.
    let publishActiveSessions: @Sendable (Int) -> Void

    func run() async {
        // Ends quietly at shutdown: the sleep throws once the service is cancelled.
        try? await cancelWhenGracefulShutdown {
            var round = 0
            while !Task.isCancelled {
                do {
                    if round % Self.countEvery == 0 { publishActiveSessions(try await service.countLiveSessions()) }
                    if round % Self.purgeEvery == Self.purgeEvery - 1 { try await purge() }
                } catch {
                    logger.error("maintenance failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: Self.keyInterval)
                round += 1
                do {
                    try await service.reloadKeys()
                } catch {
                    logger.error("reloading signing keys failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }

    private func purge() async throws {
        try await service.loginAttempts.purgeStale()
        let report = try await service.purgeExpired()
        if report != RetentionReport() {
            logger.info(
                "purged records past retention",
                metadata: [
                    "sessions": "\(report.sessions)", "used_refresh_tokens": "\(report.usedRefreshTokens)",
                    "audit_events": "\(report.auditEvents)",
                ])
        }
    }
}
