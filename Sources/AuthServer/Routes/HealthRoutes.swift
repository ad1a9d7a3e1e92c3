import AuthCore
import Hummingbird
import Prometheus
import ServerSupport

/// `GET /healthz` (the process answers), `GET /readyz` (it can serve), `GET /metrics`.
struct HealthRoutes {
    let service: TokenService
    let registry: PrometheusCollectorRegistry
    let metrics: AuthMetrics
    let shutdown: GracefulShutdown

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.get, "/healthz") { _, _ in
            Response.healthy
        }
        routes.on(.get, "/readyz") { _, context in
            guard !shutdown.isDraining else { throw shutdown.notReadyError }
            do {
                try await service.store.checkReady()
            } catch {
                context.logger.warning("readiness check failed", metadata: ["check": "database"])
                throw APIError(.serviceUnavailable, code: "not_ready", message: "The database check failed.")
            }
            guard service.keys.signer != nil else {
                throw APIError(.serviceUnavailable, code: "not_ready", message: "No signing key is loaded.")
            }
            return Response.healthy
        }
        routes.on(.get, "/metrics") { _, _ in
            metrics.hashQueueDepth(service.hashing.pool.queued)
            return registry.response()
        }
    }
}
