import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    /// The records may not exist yet, so no row can be locked: an advisory lock on the email
    /// serializes every change to its records, on every node, and `decide` runs while it is held.
    public func updateLoginFailures(
        email: String, ips: [String], now: Int64,
        _ decide: @escaping @Sendable ([LoginFailures?]) -> [LoginFailuresChange]
    ) async throws -> [LoginFailures?] {
        try await transaction { db in
            try await Self.lockLoginFailures(email: email, db: db)
            var records: [LoginFailures?] = []
            for ip in ips { records.append(try await Self.loginFailures(db, email: email, ip: ip)) }
            for (ip, change) in zip(ips, decide(records)) {
                if case .replace(let updated) = change { try await Self.write(updated, email: email, ip: ip, now: now, db: db) }
            }
            return records
        }
    }

    public func purgeLoginFailures(updatedBefore: Int64, now: Int64) async throws {
        try await connection { db in
            try await db.run("DELETE FROM login_failures WHERE updated_at < \(updatedBefore) AND locked_until < \(now)")
        }
    }

    public func clearLoginFailures(email: String) async throws -> Int {
        try await transaction { db in
            try await Self.lockLoginFailures(email: email, db: db)
            return try await db.count("DELETE FROM login_failures WHERE email = \(email) RETURNING 1")
        }
    }

    /// Held until the transaction ends by whoever reads-decides-writes `email`'s failure records.
    static func lockLoginFailures(email: String, db: Connection) async throws {
        try await db.lock("login_failures/" + email)
    }

    static func write(_ updated: LoginFailures?, email: String, ip: String, now: Int64, db: Connection) async throws {
        if let updated {
            try await db.run(
                """
                INSERT INTO login_failures (email, ip, failures, locked_until, updated_at)
                VALUES (\(email), \(ip), \(updated.failures), \(updated.lockedUntil), \(now))
                ON CONFLICT (email, ip) DO UPDATE SET
                    failures = excluded.failures, locked_until = excluded.locked_until, updated_at = excluded.updated_at
                """)
        } else {
            try await db.run("DELETE FROM login_failures WHERE email = \(email) AND ip = \(ip)")
        }
    }

    static func loginFailures(_ db: Connection, email: String, ip: String) async throws -> LoginFailures? {
        try await db.rows("SELECT failures, locked_until FROM login_failures WHERE email = \(email) AND ip = \(ip)").first.map {
            let (failures, lockedUntil) = try $0.decode((Int, Int64).self)
            return LoginFailures(failures: failures, lockedUntil: lockedUntil)
        }
    }

    // Login addresses

    public func hasLoggedIn(email: String, from address: String, since: Int64) async throws -> Bool {
        try await connection { db in
            try await db.exists(
                """
                SELECT 1 FROM login_addresses JOIN accounts ON accounts.id = login_addresses.account_id
                WHERE accounts.email = \(email) AND login_addresses.address = \(address)
                  AND login_addresses.last_login_at >= \(since)
                """)
        }
    }

    public func purgeLoginAddresses(before: Int64) async throws {
        try await connection { db in try await db.run("DELETE FROM login_addresses WHERE last_login_at < \(before)") }
    }

    /// Called with the account's row locked (`createSession`), so logins of one account
    /// keep its list one at a time.
    static func rememberLoginAddress(_ db: Connection, accountID: String, address: String, at now: Int64) async throws {
        try await db.run(
            """
            INSERT INTO login_addresses (account_id, address, last_login_at) VALUES (\(accountID), \(address), \(now))
            ON CONFLICT (account_id, address) DO UPDATE SET last_login_at = excluded.last_login_at
            """)
        try await db.run(
            """
            DELETE FROM login_addresses WHERE account_id = \(accountID) AND address NOT IN (
                SELECT address FROM login_addresses WHERE account_id = \(accountID)
                ORDER BY last_login_at DESC, address LIMIT \(LoginAddresses.maximumPerAccount))
            """)
    }
}
