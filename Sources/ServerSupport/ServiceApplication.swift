import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// How both servers assemble their application: a router whose every response is counted
/// and every error is JSON, and an HTTP/1.1 server with the header limit.
public enum ServiceApplication {
    /// A router whose every request passes through `ServerMiddleware`: metrics, JSON errors
    /// (`mapDomainError` maps the service's own), the access log, `Connection: close` once
    /// `shutdown` drains; and the client's address behind `proxies`, CORS for `corsOrigins`,
    /// `rateLimit`, where a service has them. Also the table to register routes on.
    public static func router(
        registry: PrometheusCollectorRegistry, shutdown: GracefulShutdown,
        mapDomainError: @escaping @Sendable (any Error) -> APIError? = { _ in nil },
        proxies: TrustedProxies = .none, corsOrigins: Set<String> = [], rateLimit: RouteRateLimit? = nil
    ) -> (Router<ServerRequestContext>, RouteTable<ServerRequestContext>) {
        let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(
            middleware: ServerMiddleware(
                shutdown: shutdown, errors: ErrorResponses(mapDomainError: mapDomainError),
                metrics: RequestMetrics(registry: registry), proxies: proxies, cors: CORSAllowlist(origins: corsOrigins),
                rateLimit: rateLimit))
        return (router, RouteTable(router: router))
    }

    /// The application listening on `host:port`, running `services` beside the server and
    /// `closeDatabase` once everything else has stopped; `onServerRunning` learns the port bound.
    public static func make(
        router: Router<ServerRequestContext>, host: String, port: Int, logger: Logger,
        closeDatabase: @escaping @Sendable () throws -> Void, services: [any Service],
        onServerRunning: @escaping @Sendable (Int) async -> Void
    ) -> Application<RouterResponder<ServerRequestContext>> {
        var app = Application(
            router: router,
            server: HeaderLimit.server,
            configuration: .init(address: .hostname(host, port: port), serverName: nil),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger)
        app.addServices(CloseAtShutdown("database", logger: logger, close: closeDatabase))  // first, so it stops last
        for service in services { app.addServices(service) }
        return app
    }
}
