import AuthCore
import Foundation

extension DatabaseOptions {
    /// The admin use cases on the existing database, audited as run by this OS user.
    func administration() async throws -> (store: any AuthStore, admin: Administration) {
        let store = try await openStore()
        var settings = AuthSettings()
        settings.argon2 = try argon2Cost()
        if let idle = ProcessInfo.processInfo.environment["AUTH_SESSION_IDLE_TTL"].flatMap(Int64.init) {
            settings.sessionIdleTTL = idle
        }
        let actor = ClientInfo(ip: "", userAgent: Self.operatorName)
        return (store, Administration(store: store, actor: actor, settings: settings))
    }

    /// The admin use cases and the account named by its email or id (65 when there is none).
    func administration(for name: String) async throws -> (admin: Administration, account: Account) {
        let admin = try await administration().admin
        return (admin, try await admin.findAccount(name))
    }

    /// `authctl (user alice)`, or `authctl (user root, sudo from alice)`.
    static var operatorName: String {
        let user = getpwuid(geteuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        let sudo = ProcessInfo.processInfo.environment["SUDO_USER"].map { ", sudo from \($0)" } ?? ""
        return "authctl (user \(user)\(sudo))"
    }

    /// A password read from stdin (one line), never from arguments; 66 when there is none.
    func readPassword() throws -> String {
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError.noInput("no password on stdin (pipe it in, one line)")
        }
        return line
    }

    /// The argon2id cost the server uses: the same AUTH_ARGON2_* variables and defaults.
    func argon2Cost() throws -> Argon2Parameters {
        let environment = ProcessInfo.processInfo.environment
        func value(_ name: String, _ fallback: UInt32) throws -> UInt32 {
            guard let raw = environment[name] else { return fallback }
            guard let parsed = UInt32(raw) else { throw CLIError.usage("\(name) must be a positive integer, not '\(raw)'") }
            return parsed
        }
        let defaults = Argon2Parameters.default
        let parameters = Argon2Parameters(
            memoryKiB: try value("AUTH_ARGON2_MEMORY_KIB", defaults.memoryKiB),
            iterations: try value("AUTH_ARGON2_ITERATIONS", defaults.iterations),
            parallelism: try value("AUTH_ARGON2_PARALLELISM", defaults.parallelism))
        guard parameters.isValid else { throw CLIError.usage("AUTH_ARGON2_* describe no valid argon2id cost") }
        return parameters
    }
}
