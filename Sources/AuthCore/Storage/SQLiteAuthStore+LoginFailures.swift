import Foundation
import GRDB

extension SQLiteAuthStore {
    public func loginFailures(email: String, ip: String) async throws -> LoginFailures? {
        try await writer.read { db in try Self.loginFailures(db, email: email, ip: ip) }
    }

    public func updateLoginFailures(
        email: String, ips: [String], now: Int64,
        _ transform: @escaping @Sendable (_ ip: String, LoginFailures?) -> LoginFailuresChange
    ) async throws -> [LoginFailures?] {
        try await immediate { db in
            var visited: [LoginFailures?] = []
            for ip in ips {
                let previous = try Self.loginFailures(db, email: email, ip: ip)
                visited.append(previous)
                guard case .replace(let updated) = transform(ip, previous) else { break }
                try Self.write(updated, email: email, ip: ip, now: now, db: db)
            }
            return visited
        }
    }

    static func write(_ updated: LoginFailures?, email: String, ip: String, now: Int64, db: Database) throws {
        if let updated {
            try db.cachedStatement(
                sql: """
                    INSERT INTO login_failures (email, ip, failures, locked_until, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (email, ip) DO UPDATE SET
                        failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at
                    """
            ).execute(arguments: [email, ip, updated.failures, updated.lockedUntil, now])
        } else {
            try db.cachedStatement(sql: "DELETE FROM login_failures WHERE email = ? AND ip = ?").execute(
                arguments: [email, ip])
        }
    }

    public func purgeLoginFailures(updatedBefore: Int64, now: Int64) async throws {
        try await immediate { db in
            try db.cachedStatement(sql: "DELETE FROM login_failures WHERE updated_at < ? AND locked_until < ?").execute(
                arguments: [updatedBefore, now])
        }
    }

    static func loginFailures(_ db: Database, email: String, ip: String) throws -> LoginFailures? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT failures, locked_until FROM login_failures WHERE email = ? AND ip = ?"),
            arguments: [email, ip]
        ).map { LoginFailures(failures: $0["failures"], lockedUntil: $0["locked_until"]) }
    }
}
