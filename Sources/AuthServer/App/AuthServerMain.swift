import ServerSupport
import Foundation
import Logging

/// `AuthServer`: the token service. Settings come from `AUTH_*` variables or their flags.
@main
struct AuthServerMain {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--help"] || arguments == ["-h"] {
            print("usage: AuthServer [--port N] [--database PATH] … (every AUTH_* setting has a flag; see README)")
            return
        }
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = {
            var logger = Logger(label: "auth")
            logger.logLevel = .info
            return logger
        }()
        do {
            let configuration = try ServerConfiguration(arguments: arguments, environment: ProcessInfo.processInfo.environment)
            let app = try await buildApplication(configuration, logger: logger, onServerRunning: { port in
                let address = "http://\(configuration.host):\(port)"
                logger.notice(
                    "listening",
                    metadata: [
                        "address": "\(address)", "database": "\(configuration.databasePath)",
                        "jwks": "\(address)/.well-known/jwks.json", "issuer": "\(configuration.settings.issuer)",
                    ])
                FileHandle.standardOutput.write(Data("AuthServer listening on http://\(configuration.host):\(port)\n".utf8))
            })
            try await app.runService()
        } catch {
            FileHandle.standardError.write(Data("AuthServer: \(error)\n".utf8))
            exit(error is SettingsSource.Invalid ? 64 : 1)
        }
    }
}
