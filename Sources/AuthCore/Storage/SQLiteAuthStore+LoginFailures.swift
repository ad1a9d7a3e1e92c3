import Foundation
import GRDB

extension SQLiteAuthStore {
    public func updateLoginFailures(
        email: String, ips: [String], now: Int64,
        _ decide: @escaping @Sendable ([LoginFailures?]) -> [LoginFailuresChange]
    ) async throws -> [LoginFailures?] {
        try await immediate { db in
            let records = try ips.map { try Self.loginFailures(db, email: email, ip: $0) }
            for (ip, change) in zip(ips, decide(records)) {
                if case .replace(let updated) = change { try Self.write(updated, email: email, ip: ip, now: now, db: db) }
            }
            return records
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

    public func clearLoginFailures(email: String) async throws -> Int {
        try await immediate { db in
            try db.execute(sql: "DELETE FROM login_failures WHERE email = ?", arguments: [email])
            return db.changesCount
        }
    }

    static func loginFailures(_ db: Database, email: String, ip: String) throws -> LoginFailures? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT failures, locked_until FROM login_failures WHERE email = ? AND ip = ?"),
            arguments: [email, ip]
        ).map { LoginFailures(failures: $0["failures"], lockedUntil: $0["locked_until"]) }
    }

    // Login addresses

    public func hasLoggedIn(email: String, from address: String, since: Int64) async throws -> Bool {
        try await writer.read { db in
            try Bool.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT 1 FROM login_addresses JOIN accounts ON accounts.id = login_addresses.account_id
                        WHERE accounts.email = ? AND login_addresses.address = ? AND login_addresses.last_login_at >= ?
                        """), arguments: [email, address, since]) == true
        }
    }

    public func purgeLoginAddresses(before: Int64) async throws {
        try await immediate { db in
            try db.execute(sql: "DELETE FROM login_addresses WHERE last_login_at < ?", arguments: [before])
        }
    }

    static func rememberLoginAddress(_ db: Database, accountID: String, address: String, at now: Int64) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO login_addresses (account_id, address, last_login_at) VALUES (?, ?, ?)
                ON CONFLICT (account_id, address) DO UPDATE SET last_login_at = excluded.last_login_at
                """
        ).execute(arguments: [accountID, address, now])
        try db.cachedStatement(
            sql: """
                DELETE FROM login_addresses WHERE account_id = ?1 AND address NOT IN (
                    SELECT address FROM login_addresses WHERE account_id = ?1
                    ORDER BY last_login_at DESC, address LIMIT ?2)
                """
        ).execute(arguments: [accountID, LoginAddresses.maximumPerAccount])
    }
}
