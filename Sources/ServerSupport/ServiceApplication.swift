import Hummingbird
import Logging
import Prometheus
import ServiceLifecycle

/// How both servers assemble their application: a router whose every response is counted
/// and every error is JSON, and an HTTP/1.1 server with the header limit.
public enum ServiceApplication {
    /// A router with metrics and JSON errors (`mapDomainError` maps the service's own errors)
    /// that closes connections once `shutdown` drains, and the table to register routes on.
    public static func router(
        registry: PrometheusCollectorRegistry, shutdown: GracefulShutdown,
        mapDomainError: @escaping @Sendable (any Error) -> APIError? = { _ in nil }
    ) -> (Router<ServerRequestContext>, RouteTable<ServerRequestContext>) {
        let router = Router(context: ServerRequestContext.self, options: .autoGenerateHeadEndpoints)
        router.add(middleware: DrainMiddleware(shutdown: shutdown))
        router.add(middleware: AccessLogMiddleware())
        router.add(middleware: HTTPMetricsMiddleware(registry: registry))
        router.add(middleware: ErrorMiddleware(mapDomainError: mapDomainError))
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
