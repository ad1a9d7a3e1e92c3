import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func createSession(
        _ session: Session, refreshTokenHash: [UInt8], verifiedHash: String, forgiving: LoginFailureKeys?,
        loginAddress: String?, audit: AuditEvent?
    ) async throws -> Bool {
        try await transaction { db in
            // With the account locked, a password change or a disable either committed before
            // (the check fails) or waits for this login, and then ends its session.
            try await Self.lockAccount(session.accountID, db: db)
            let unchanged = try await db.exists(
                """
                SELECT 1 FROM accounts WHERE id = \(session.accountID) AND password_hash = \(verifiedHash) AND status = 'active'
                """)
            guard unchanged else { return false }
            try await db.run(
                """
                INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at, generation, user_agent, ip, client_id, amr)
                VALUES (\(session.id), \(session.accountID), \(session.createdAt), \(session.lastUsedAt), \(session.expiresAt),
                        \(session.generation), \(session.userAgent), \(session.ip), \(session.clientID),
                        \(session.authenticationMethods.rawValue))
                """)
            try await Self.insertRefreshToken(
                db, hash: refreshTokenHash, sessionID: session.id, generation: session.generation, now: session.createdAt)
            if let forgiving {
                try await Self.lockLoginFailures(email: forgiving.email, db: db)
                for ip in forgiving.ips {
                    try await Self.write(nil, email: forgiving.email, ip: ip, now: session.createdAt, db: db)
                }
            }
            if let loginAddress {
                try await Self.rememberLoginAddress(db, accountID: session.accountID, address: loginAddress, at: session.createdAt)
            }
            if let audit { try await Self.insert(audit, db: db) }
            return true
        }
    }

    public func session(id: String) async throws -> Session? {
        try await connection { db in
            try await db.rows("SELECT \(unescaped: Session.columns) FROM sessions WHERE id = \(id)").first.map(Session.init)
        }
    }

    nonisolated(nonsending) public func sessionWithAccount(id: String) async throws -> (Session, Account)? {
        // One statement: one snapshot of both.
        try await connection { db in
            try await db.rows(SessionWithAccount(id: id)).first.map { row in
                var cells = Cells(row)
                return (try Session(&cells), try Account(&cells))
            }
        }
    }

    public func openSessions(accountID: String) async throws -> [Session] {
        try await connection { db in
            try await db.rows(
                """
                SELECT \(unescaped: Session.columns) FROM sessions WHERE account_id = \(accountID) AND ended_at IS NULL
                ORDER BY created_at DESC, seq DESC
                """
            ).map(Session.init)
        }
    }

    public func liveSessionCount(now: Int64, idleTTL: Int64) async throws -> Int {
        try await connection { db in
            try await db.value(
                """
                SELECT count(*) FROM sessions WHERE ended_at IS NULL AND expires_at > \(now) AND last_used_at > \(now - idleTTL)
                """, as: Int.self) ?? 0
        }
    }

    public func endSession(id: String, accountID: String, reason: SessionEndReason, now: Int64) async throws -> Bool {
        try await connection { db in
            try await db.count(
                """
                UPDATE sessions SET ended_at = \(now), end_reason = \(reason.rawValue)
                WHERE id = \(id) AND account_id = \(accountID) AND ended_at IS NULL RETURNING 1
                """) == 1
        }
    }

    public func endSessions(accountID: String, except: String?, reason: SessionEndReason, now: Int64) async throws
        -> Int
    {
        try await connection { db in try await Self.endSessions(db, accountID: accountID, except: except, reason: reason, now: now) }
    }

    public func endSession(refreshTokenHash: [UInt8], reason: SessionEndReason, now: Int64) async throws
        -> (sessionID: String, accountID: String)?
    {
        try await connection { db in
            try await db.rows(
                """
                UPDATE sessions s SET ended_at = \(now), end_reason = \(reason.rawValue)
                FROM refresh_tokens t WHERE t.session_id = s.id AND t.token_hash = \(Data(refreshTokenHash)) AND s.ended_at IS NULL
                RETURNING s.id, s.account_id
                """
            ).first.map { try $0.decode((String, String).self) }
        }
    }

    @discardableResult
    static func endSessions(_ db: Connection, accountID: String, except: String?, reason: SessionEndReason, now: Int64)
        async throws -> Int
    {
        try await db.count(
            """
            UPDATE sessions SET ended_at = \(now), end_reason = \(reason.rawValue)
            WHERE account_id = \(accountID) AND ended_at IS NULL AND id IS DISTINCT FROM \(except) RETURNING 1
            """)
    }
}

/// A session and its account, read by every request a token authenticates (prepared).
struct SessionWithAccount: PreparedStatement {
    static let name = "session_with_account"
    static let sql = """
        SELECT \(prefixed(Session.columns, "s")), \(prefixed(Account.columns, "a"))
        FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = $1
        """
    let id: String

    func makeBindings() -> PostgresBindings { .init(id) }
}
