import AuthCore
import Foundation

extension DatabaseOptions {
    /// The existing database and the account named in it.
    func openAccount(_ name: String) async throws -> (SQLiteAuthStore, Account) {
        let store = try openStore()
        return (store, try await account(name, in: store))
    }

    /// The account named by its email or its id; 65 when there is none.
    func account(_ name: String, in store: SQLiteAuthStore) async throws -> Account {
        let found =
            name.contains("@")
            ? try await store.account(email: (try? Email.normalize(name)) ?? name)
            : try await store.account(id: name.lowercased())
        guard let found else { throw CLIError.badData("no account \(name)") }
        return found
    }

    /// Appends an admin action to the audit log, marked as coming from `authctl` and the OS
    /// user running it (and, under sudo, the user who called sudo).
    func audit(
        _ kind: AuditEvent.Kind, in store: SQLiteAuthStore, accountID: String? = nil, email: String = "", detail: String = ""
    ) async throws {
        try await store.appendAudit(
            AuditEvent(
                kind: kind, at: Date().unixSeconds, accountID: accountID, email: email,
                client: ClientInfo(ip: "", userAgent: Self.operatorName), detail: detail))
    }

    /// `authctl (user alice)`, or `authctl (user root, sudo from alice)`.
    static var operatorName: String {
        let user = getpwuid(geteuid()).flatMap { String(validatingCString: $0.pointee.pw_name) } ?? "uid \(geteuid())"
        let sudo = ProcessInfo.processInfo.environment["SUDO_USER"].map { ", sudo from \($0)" } ?? ""
        return "authctl (user \(user)\(sudo))"
    }

    /// A password read from stdin (one line), checked against the policy; never from arguments.
    func readPassword(for email: String) throws -> Password {
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError.noInput("no password on stdin (pipe it in, one line)")
        }
        do {
            return try PasswordPolicy().check(line, email: email)
        } catch {
            throw CLIError.badData(error.message)
        }
    }

    /// The hasher at the cost the server uses: the same AUTH_ARGON2_* variables and defaults.
    func hasher() throws -> PasswordHasher {
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
        return try PasswordHasher(parameters: parameters)
    }
}
