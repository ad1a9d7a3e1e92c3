import Foundation
import Logging
import NIOCore
import NIOPosix

/// What both servers' `main` share: `--help` (generated from the settings the configuration
/// reads, with their defaults), the configuration read before anything
/// starts, logging as configured, the one-line failure with a meaningful exit code (64 for
/// a bad setting, 1 otherwise), the listening line; and tasks that run on the event loops.
public enum ServiceRunner {
    /// `parse` gives the configuration, its log settings and its database, which sets how the
    /// event loops run tasks (`EventLoopExecutor`).
    public static func main<Configuration: Sendable>(
        name: String, help: @Sendable () throws -> String,
        parse: @Sendable () throws -> (Configuration, LogSettings, DatabaseLocation),
        run: @Sendable (Configuration, Logger) async throws -> Void
    ) async {
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
            let (configuration, logging, database) = try parse()
            // Installed before any task starts: every task runs on the event loops (`EventLoopExecutor`).
            let onPostgres = if case .postgres = database { true } else { false }
            let onEventLoops = EventLoopExecutor.install(generic: onPostgres)
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
