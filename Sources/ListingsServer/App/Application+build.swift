import AuthTokens
import Foundation
import Hummingbird
import Logging
import Prometheus
import ServerSupport

/// The listings service's composition root.
func buildApplication(
    _ configuration: ListingsConfiguration, logger: Logger, keys: KeySetCache? = nil,
    registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    shutdown: GracefulShutdown = GracefulShutdown(drainPeriod: .zero),
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let store = try await openListingStore(configuration.database, logger: logger)
    let keys = keys ?? KeySetCache(fetch: JWKSFetcher.fetch(configuration.keySource))
    let authenticator = BearerAuthenticator(
        keys: keys,
        verifier: AccessTokenVerifier(
            issuer: configuration.issuer, audience: configuration.audience, cache: VerifiedTokenCache()),
        registry: registry)

    let (router, routes) = ServiceApplication.router(registry: registry, shutdown: shutdown)
    ListingRoutes(store: store, authenticator: authenticator).register(on: routes)
    routes.on(.get, "/healthz") { _, _ in Response.healthy }
    routes.on(.get, "/readyz") { _, _ in
        guard !shutdown.isDraining else { throw shutdown.notReadyError }
        do {
            try await store.ping()
        } catch {
            throw APIError(.serviceUnavailable, code: "not_ready", message: "The database check failed.")
        }
        guard keys.keys != nil else {
            throw APIError(.serviceUnavailable, code: "not_ready", message: "The token service's keys are not loaded yet.")
        }
        return Response.healthy
    }
    routes.on(.get, "/metrics") { _, _ in registry.response() }
    routes.rejectOtherMethods()

    return ServiceApplication.make(
        router: router, host: configuration.host, port: configuration.port, logger: logger, closeDatabase: store.close,
        services: [KeyRefreshService(keys: keys, interval: .seconds(configuration.jwksRefresh), logger: logger)],
        onServerRunning: onServerRunning)
}
