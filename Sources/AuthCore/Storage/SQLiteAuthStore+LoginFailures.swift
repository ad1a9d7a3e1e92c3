import Foundation
import GRDB

extension SQLiteAuthStore {
    public func loginFailures(email: String, ip: String) async throws -> LoginFailures? {
        try await writer.read { db in try Self.loginFailures(db, email: email, ip: ip) }
    }

    public func updateLoginFailures(
        email: String, ip: String, now: Int64, _ transform: @escaping @Sendable (LoginFailures?) -> LoginFailures?
    ) async throws -> LoginFailures? {
        try await immediate { db in
            let previous = try Self.loginFailures(db, email: email, ip: ip)
            let updated = transform(previous)
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
            return previous
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
