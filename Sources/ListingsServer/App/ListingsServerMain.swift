import Foundation
import Metrics
import Prometheus
import ServerSupport

/// `ListingsServer`: an example service that trusts the token service's access tokens,
/// verified locally. Settings come from `LISTINGS_*` variables or their flags.
@main
struct ListingsServerMain {
    static func main() async {
        await ServiceRunner.main(
            name: "ListingsServer",
            help: {
                SettingHelp.text(
                    try ListingsConfiguration(arguments: [], environment: [:]).settingsHelp, usage: "usage: ListingsServer [--name value]…")
            },
            parse: {
                let configuration = try ListingsConfiguration(
                    arguments: Array(CommandLine.arguments.dropFirst()), environment: ProcessInfo.processInfo.environment)
                return (configuration, configuration.logging, configuration.database)
            },
            run: { configuration, logger in
                let keys: String =
                    switch configuration.keySource {
                    case .url(let url): url
                    case .file(let path): path
                    }
                let shutdown = GracefulShutdown(drainPeriod: configuration.drainPeriod)
                // Libraries that report through swift-metrics land in the service's registry.
                let registry = PrometheusCollectorRegistry()
                MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
                let app = try await buildApplication(
                    configuration, logger: logger, registry: registry, shutdown: shutdown, onServerRunning: { port in
                    ServiceRunner.announce(
                        "ListingsServer", host: configuration.host, port: port, logger: logger,
                        details: ["database": "\(configuration.database)", "keys": "\(keys)"])
                })
                try await shutdown.run(app, logger: logger)
            })
    }
}
