import ArgumentParser
import Foundation

/// `authctl`: the admin CLI on the token service's database. Works while the server runs.
@main
struct Authctl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "authctl",
        abstract: "Administer the token service's database: accounts, sessions, signing keys.",
        discussion: """
            Every command takes --database PATH (or AUTH_DATABASE); data goes to stdout, messages to stderr.
            Exit codes: 0 success, 64 usage, 65 bad data, 66 no input, 1 other failure.
            """,
        subcommands: [Init.self, Migrate.self, Users.self, Sessions.self, Keys.self, Export.self, Import.self, Hashes.self, Calibrate.self, Backup.self, Copy.self, Audit.self, Mail.self]
    )

    /// Runs the command; a usage error is one line on stderr and exit 64, help goes to stdout.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else if !(error is ExitCode) {
                let message = self.message(for: error).split(separator: "\n").first.map(String.init) ?? "failed"
                FileHandle.standardError.write(Data("authctl: \(message)\n".utf8))
            }
            Foundation.exit(code.rawValue)
        }
    }
}
