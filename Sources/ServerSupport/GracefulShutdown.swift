import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// How a server stops on SIGTERM or SIGINT without failing a request a client has sent.
///
/// 1. **Drain** for `drainPeriod`: `/readyz` answers 503 so a load balancer stops sending
///    new connections, and every response says `Connection: close` so keep-alive clients
///    leave instead of reusing a connection the server is about to close.
/// 2. **Quiesce**: the listener closes, idle connections close, requests in flight finish
///    (for at most `inFlightLimit`), then the services stop and the database closes.
public final class GracefulShutdown: Sendable {
    /// The drain period when none is configured: long enough for a load balancer's readiness probe.
    public static let defaultDrainSeconds = 5
    /// How long requests in flight may take once the listener has closed.
    public static let inFlightLimit = Duration.seconds(15)

    public let drainPeriod: Duration
    private let draining = Atomic<Bool>(false)

    public init(drainPeriod: Duration) {
        self.drainPeriod = drainPeriod
    }

    /// True from the shutdown signal on.
    public var isDraining: Bool { draining.load(ordering: .relaxed) }

    /// Runs `app` until SIGTERM or SIGINT, then drains and stops it as described above.
    public func run(_ app: some Service, logger: Logger) async throws {
        var configuration = ServiceGroupConfiguration(
            services: [.init(service: app), .init(service: Drain(shutdown: self, logger: logger))],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        configuration.maximumGracefulShutdownDuration = drainPeriod + Self.inFlightLimit
        try await ServiceGroup(configuration: configuration).run()
    }

    /// Last in the group, so it hears the signal first and holds the server open while draining.
    private struct Drain: Service {
        let shutdown: GracefulShutdown
        let logger: Logger

        func run() async throws {
            try await gracefulShutdown()
            shutdown.draining.store(true, ordering: .relaxed)
            logger.notice("draining before shutdown", metadata: ["seconds": "\(shutdown.drainPeriod.components.seconds)"])
            try? await Task.sleep(for: shutdown.drainPeriod)
        }
    }
}

/// Runs `close` once the server has stopped. First among an application's services (they
/// stop in reverse order), it runs after the last request and the other services.
struct CloseAtShutdown: Service {
    let name: String
    let logger: Logger
    let close: @Sendable () throws -> Void

    init(_ name: String, logger: Logger, close: @escaping @Sendable () throws -> Void) {
        self.name = name
        self.logger = logger
        self.close = close
    }

    func run() async throws {
        try? await gracefulShutdown()
        do {
            try close()
            logger.info("closed", metadata: ["resource": "\(name)"])
        } catch {
            logger.error("close failed", metadata: ["resource": "\(name)", "error": "\(error)"])
        }
    }
}

extension SettingsSource {
    /// `PREFIX_DRAIN_SECONDS`: how long a stopping server drains (0 stops at once).
    public mutating func drainPeriod() throws -> Duration {
        .seconds(try integer(
            prefix + "DRAIN_SECONDS", default: GracefulShutdown.defaultDrainSeconds, in: 0...300,
            help: "seconds of draining (readyz 503) on SIGTERM before the listener closes"))
    }
}

extension GracefulShutdown {
    /// The readiness answer while draining.
    public var notReadyError: APIError {
        APIError(.serviceUnavailable, code: "not_ready", message: "The server is shutting down.")
    }
}
