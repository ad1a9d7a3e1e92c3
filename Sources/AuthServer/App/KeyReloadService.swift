import AuthCore
import Logging
import ServiceLifecycle

/// Reloads signing keys every few seconds, so a rotation made with `authctl` while the
/// server runs is published and used without a restart.
struct KeyReloadService: Service {
    static let interval = Duration.seconds(5)
    let service: TokenService
    let logger: Logger

    func run() async {
        // Ends quietly at shutdown: the sleep throws once the service is cancelled.
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: Self.interval)
                do {
                    try await service.reloadKeys()
                } catch {
                    logger.error("reloading signing keys failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
