import Foundation
import Logging
import NIOCore
import NIOPosix

/// What both servers' `main` share: `--help` (generated from the settings the configuration
/// reads, with their defaults), the configuration read before anything
/// starts, logging as configured, the one-line failure with a meaningful exit code (64 for
/// a bad setting, 1 otherwise), the listening line; and tasks that run on the event loops.
public enum ServiceRunner {
    public static func main<Configuration: Sendable>(
        name: String, help: @Sendable () throws -> String, parse: @Sendable () throws -> (Configuration, LogSettings),
        run: @Sendable (Configuration, Logger) async throws -> Void
    ) async {
        // Every task runs on the event loops (NIO's own advice for servers): a request no longer
        // hops from its connection's event loop to the concurrency pool and back, which was the
        // largest cost of a request left. Nothing a task runs may wait for the disk: SQLite's
        // inline reads take only what the page cache holds, and file writes go to NIO's
        // blocking-work threads.
        let onEventLoops = NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--help") || arguments.contains("-h") {
            do {
                print(try help())
            } catch {
                FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
                exit(1)
            }
            return
        }
        do {
            let (configuration, logging) = try parse()
            LoggingSystem.bootstrap { label in
                var handler = ServerLogHandler(label: label, format: logging.format)
                handler.logLevel = logging.level
                return handler
            }
            var logger = Logger(label: name)
            logger.logLevel = logging.level
            if !onEventLoops { logger.warning("tasks run on the concurrency pool, not on the event loops (slower)") }
            try await run(configuration, logger)
            LogSink.standardError.flush()
        } catch {
            LogSink.standardError.flush()
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit((error as? StartupError)?.exitCode ?? 1)
        }
    }

    /// Logs where the server listens and prints `NAME listening on http://HOST:PORT` on stdout,
    /// the line scripts (and port-0 tests) wait for.
    public static func announce(_ name: String, host: String, port: Int, logger: Logger, details: Logger.Metadata) {
        let address = "http://\(host):\(port)"
        logger.notice("listening", metadata: details.merging(["address": "\(address)"]) { first, _ in first })
        FileHandle.standardOutput.write(Data("\(name) listening on \(address)\n".utf8))
    }
}
