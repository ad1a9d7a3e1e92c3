import Foundation
import Logging

/// What both servers' `main` share: `--help`, logging to stderr, the one-line failure
/// with a meaningful exit code (64 for a bad setting, 1 otherwise), the listening line.
public enum ServiceRunner {
    public static func main(name: String, usage: String, _ body: @Sendable (Logger) async throws -> Void) async {
        let arguments = CommandLine.arguments.dropFirst()
        if arguments.contains("--help") || arguments.contains("-h") {
            print(usage)
            return
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        var logger = Logger(label: name)
        logger.logLevel = .info
        do {
            try await body(logger)
        } catch {
            FileHandle.standardError.write(Data("\(name): \(error)\n".utf8))
            exit(error is SettingsSource.Invalid ? 64 : 1)
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
