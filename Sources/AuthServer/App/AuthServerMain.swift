import Foundation
import Metrics
import Prometheus
import ServerSupport

/// `AuthServer`: the token service. Settings come from `AUTH_*` variables or their flags.
@main
struct AuthServerMain {
    static func main() async {
        #if os(Linux)
        // Before any setting is read: the server's argon2 workers are this binary too.
        if CommandLine.arguments.dropFirst().first == Argon2WorkerMain.flag { Argon2WorkerMain.run() }
        #endif
        await ServiceRunner.main(
            name: "AuthServer", help: {
                SettingHelp.text(
                    try ServerConfiguration(arguments: [], environment: [:]).settingsHelp, usage: "usage: AuthServer [--name value]…")
            },
            parse: {
                var configuration = try ServerConfiguration(
                    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
                configuration.argon2WorkerExecutable = "/proc/self/exe"  // this binary, even once an upgrade replaced its file
                return (configuration, configuration.logging, configuration.database)
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
