import Foundation
import Metrics
import Prometheus
import ServerSupport

/// `AuthServer`: the token service. Settings come from `AUTH_*` variables or their flags.
@main
struct AuthServerMain {
    static func main() async {
        await ServiceRunner.main(
            name: "AuthServer", help: {
                SettingHelp.text(
                    try ServerConfiguration(arguments: [], environment: [:]).settingsHelp, usage: "usage: AuthServer [--name value]…")
            },
            parse: {
                let configuration = try ServerConfiguration(
                    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
                return (configuration, configuration.logging)
            },
            run: { configuration, logger in
                logger.info("settings", metadata: configuration.loggable)
                let shutdown = GracefulShutdown(drainPeriod: configuration.drainPeriod)
                // Libraries that report through swift-metrics land in the same registry as ours.
                let registry = PrometheusCollectorRegistry()
                MetricsSystem.bootstrap(prometheusFactory(registry))
                let app = try await buildApplication(
                    configuration, logger: logger, registry: registry, shutdown: shutdown, onServerRunning: { port in
                    ServiceRunner.announce(
                        "AuthServer", host: configuration.host, port: port, logger: logger,
                        details: [
                            "database": "\(configuration.database)",
                            "jwks": "http://\(configuration.host):\(port)/.well-known/jwks.json",
                            "issuer": "\(configuration.settings.issuer)",
                        ])
                })
                try await shutdown.run(app, logger: logger)
            })
    }
}
