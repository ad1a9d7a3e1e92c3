import AuthTokens
import Logging
import ServiceLifecycle

/// Loads the JWKS at start and every `interval` after; while no keys were ever loaded
/// (the token service not up yet) it retries every second.
struct KeyRefreshService: Service {
    let keys: KeySetCache
    let interval: Duration
    let logger: Logger

    func run() async {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await keys.reload()
                    logger.debug("loaded signing keys", metadata: ["kids": "\(keys.keys?.kids ?? [])"])
                } catch {
                    logger.warning("cannot load the token service's keys", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: keys.keys == nil ? .seconds(1) : interval)
            }
        }
    }
}
