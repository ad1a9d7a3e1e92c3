import Foundation
import GRDB

extension SQLiteAuthStore {
    public func createSession(
        _ session: Session, refreshTokenHash: [UInt8], verifiedHash: String, forgiving: LoginFailureKeys?,
        loginAddress: String?, audit: AuditEvent?
    ) async throws -> Bool {
        try await immediate { db in
            let unchanged =
                try Bool.fetchOne(
                    db.cachedStatement(
                        sql: "SELECT 1 FROM accounts WHERE id = ? AND password_hash = ? AND status = 'active'"),
                    arguments: [session.accountID, verifiedHash]) == true
            guard unchanged else { return false }
            try db.cachedStatement(
                sql: """
                    INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at, generation, user_agent, ip, client_id, amr)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """
            ).execute(arguments: [
                session.id, session.accountID, session.createdAt, session.lastUsedAt, session.expiresAt,
                session.generation, session.userAgent, session.ip, session.clientID, session.authenticationMethods.rawValue,
            ])
            try Self.insertRefreshToken(
                db, hash: refreshTokenHash, sessionID: session.id, generation: session.generation,
                now: session.createdAt)
            for ip in forgiving?.ips ?? [] {
                try Self.write(nil, email: forgiving!.email, ip: ip, now: session.createdAt, db: db)
            }
            if let loginAddress {
                try Self.rememberLoginAddress(db, accountID: session.accountID, address: loginAddress, at: session.createdAt)
            }
            if let audit { try Self.insert(audit, db: db) }
            return true
        }
    }

    public func session(id: String) async throws -> Session? {
        try await writer.read { db in
            try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Session.columns) FROM sessions WHERE id = ?"), arguments: [id])
                .map { Session(row: $0) }
        }
    }

    nonisolated(nonsending) public func sessionWithAccount(id: String) async throws -> (Session, Account)? {
        try await reads.read { db in
            // Decoded from the statement's own row while the cursor is on it: no copy of it first.
            try Row.fetchCursor(db.cachedStatement(sql: Self.sessionWithAccountSQL), arguments: [id]).map {
                (Session(row: $0), Account(row: $0, at: Session.columnCount))
            }.next()
        }
    }

    /// A session and its account in one statement, so one snapshot (it is read outside a
    /// transaction).
    static let sessionWithAccountSQL = """
        SELECT \(prefixed("s", Session.columnNames)), \(prefixed("a", Account.columnNames))
        FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = ?
        """

    /// A refresh token's session (its columns first), then the token's generation and use, and
    /// the account's status.
    static let refreshCandidateSQL = """
        SELECT \(prefixed("s", Session.columnNames)), t.generation, t.used_at, a.status
        FROM refresh_tokens t
        JOIN sessions s ON s.id = t.session_id
        JOIN accounts a ON a.id = s.account_id
        WHERE t.token_hash = ?
        """

    /// `names` as a select list, each prefixed with `table.`.
    static func prefixed(_ table: String, _ names: [String]) -> String {
        names.map { "\(table).\($0)" }.joined(separator: ", ")
    }

    public func openSessions(accountID: String) async throws -> [Session] {
        try await writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT \(Session.columns) FROM sessions WHERE account_id = ? AND ended_at IS NULL
                        ORDER BY created_at DESC, rowid DESC
                        """), arguments: [accountID]
            ).map { Session(row: $0) }
        }
    }

    public func liveSessionCount(now: Int64, idleTTL: Int64) async throws -> Int {
        try await writer.read { db in
            try Int.fetchOne(
                db.cachedStatement(
                    sql: "SELECT count(*) FROM sessions WHERE ended_at IS NULL AND expires_at > ? AND last_used_at > ?"),
                arguments: [now, now - idleTTL]) ?? 0
        }
    }

    public func endSession(id: String, accountID: String, reason: SessionEndReason, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    UPDATE sessions SET ended_at = ?, end_reason = ?
                    WHERE id = ? AND account_id = ? AND ended_at IS NULL
                    """
            ).execute(arguments: [now, reason.rawValue, id, accountID])
            return db.changesCount == 1
        }
    }

    public func endSessions(accountID: String, except: String?, reason: SessionEndReason, now: Int64) async throws
        -> Int
    {
        try await immediate { db in
            try Self.endSessions(db, accountID: accountID, except: except, reason: reason, now: now)
        }
    }

    public func endSession(refreshTokenHash: [UInt8], reason: SessionEndReason, now: Int64) async throws
        -> (sessionID: String, accountID: String)?
    {
        try await immediate { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT s.id, s.account_id FROM sessions s JOIN refresh_tokens t ON t.session_id = s.id
                            WHERE t.token_hash = ? AND s.ended_at IS NULL
                            """), arguments: [Data(refreshTokenHash)])
            else { return nil }
            let sessionID: String = row["id"]
            try db.cachedStatement(sql: "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?").execute(
                arguments: [now, reason.rawValue, sessionID])
            return (sessionID, row["account_id"])
        }
    }

    @discardableResult
    static func endSessions(_ db: Database, accountID: String, except: String?, reason: SessionEndReason, now: Int64)
        throws -> Int
    {
        try db.cachedStatement(
            sql: """
                UPDATE sessions SET ended_at = ?, end_reason = ?
                WHERE account_id = ? AND ended_at IS NULL AND id IS NOT ?
                """
        ).execute(arguments: [now, reason.rawValue, accountID, except])
        return db.changesCount
    }

    public func exchangeRefreshToken(
        hash: [UInt8], replacementHash: [UInt8], nowMillis: Int64,
        decide: @escaping @Sendable (RefreshCandidate) -> RefreshDecision
    ) async throws -> (decision: RefreshDecision, session: Session)? {
        let now = nowMillis / 1000
        return try await immediate { db in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: Self.refreshCandidateSQL), arguments: [Data(hash)])
            else { return nil }
            var session = Session(row: row)
            let extra = Session.columnCount
            let candidate = RefreshCandidate(
                tokenGeneration: row[extra], tokenUsedAt: row[extra + 1], session: session,
                accountIsActive: row[extra + 2] == Account.Status.active.rawValue)
            let decision = decide(candidate)
            switch decision {
            case .rotate:
                session.generation += 1
                session.rotatedAtMillis = nowMillis
                session.lastUsedAt = now
                try db.cachedStatement(
                    sql: "UPDATE sessions SET generation = ?, rotated_at_ms = ?, last_used_at = ? WHERE id = ?"
                ).execute(arguments: [session.generation, nowMillis, now, session.id])
            case .grace:
                session.lastUsedAt = now
                try db.cachedStatement(sql: "UPDATE sessions SET last_used_at = ? WHERE id = ?").execute(arguments: [
                    now, session.id,
                ])
            case .reuse:
                session.endedAt = now
                session.endReason = SessionEndReason.refreshTokenReuse.rawValue
                try db.cachedStatement(sql: "UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?").execute(
                    arguments: [now, SessionEndReason.refreshTokenReuse.rawValue, session.id])
            case .reject:
                break
            }
            if decision == .rotate || decision == .grace {
                try db.cachedStatement(
                    sql: "UPDATE refresh_tokens SET used_at = coalesce(used_at, ?) WHERE token_hash = ?"
                ).execute(arguments: [now, Data(hash)])
                try Self.insertRefreshToken(
                    db, hash: replacementHash, sessionID: session.id, generation: session.generation, now: now)
            }
            return (decision, session)
        }
    }

    static func insertRefreshToken(_ db: Database, hash: [UInt8], sessionID: String, generation: Int64, now: Int64)
        throws
    {
        try db.cachedStatement(
            sql: "INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES (?, ?, ?, ?)"
        ).execute(arguments: [Data(hash), sessionID, generation, now])
    }
}

extension Session {
    /// The columns `init(row:at:)` reads, in its order.
    static let columnNames = [
        "id", "account_id", "created_at", "last_used_at", "expires_at", "ended_at", "end_reason", "generation",
        "rotated_at_ms", "user_agent", "ip", "client_id", "amr",
    ]
    static let columns = columnNames.joined(separator: ", ")
    static let columnCount = columnNames.count

    /// The session in `row`'s columns from `first` on, as `columns()` lists them: read by
    /// position, which costs a fraction of a lookup by name.
    init(row: Row, at first: Int = 0) {
        self.init(
            id: row[first], accountID: row[first + 1], createdAt: row[first + 2], lastUsedAt: row[first + 3],
            expiresAt: row[first + 4], endedAt: row[first + 5], endReason: row[first + 6],
            generation: row[first + 7], rotatedAtMillis: row[first + 8], userAgent: row[first + 9],
            ip: row[first + 10], clientID: row[first + 11],
            authenticationMethods: AuthenticationMethods(rawValue: row[first + 12]) ?? .password)
    }
}
