import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    /// Row locks rather than conditional updates: the verdict is the domain's (`RefreshRules`),
    /// made on the whole candidate (the token's generation and use, the session's generation and
    /// rotation time, the account's status), which a conditional UPDATE could only check by
    /// restating the rules in SQL. So the session row is locked first (`FOR UPDATE`), and the
    /// candidate is read after the lock is held: every exchange of any token of one session, on
    /// any node, waits for the one before it to commit and then sees what it did. Two exchanges of
    /// the same token thus rotate once; the second finds the token used and the generation
    /// advanced, and the rules answer grace or reuse.
    public func exchangeRefreshToken(
        hash: [UInt8], replacementHash: [UInt8], nowMillis: Int64,
        decide: @escaping @Sendable (RefreshCandidate) -> RefreshDecision
    ) async throws -> (decision: RefreshDecision, session: Session)? {
        let now = nowMillis / 1000
        let token = ByteBuffer(bytes: hash)
        return try await transaction { db in
            let locked = try await db.exists(LockRefreshTokenSession(token: token))
            guard locked, let row = try await db.rows(RefreshCandidateRow(token: token)).first else { return nil }
            var cells = Cells(row)
            let tokenGeneration = try cells.take(Int64.self)
            let tokenUsedAt = try cells.take(Int64?.self)
            let accountIsActive = try cells.take(String.self) == Account.Status.active.rawValue
            var session = try Session(&cells)
            let decision = decide(
                RefreshCandidate(
                    tokenGeneration: tokenGeneration, tokenUsedAt: tokenUsedAt, session: session, accountIsActive: accountIsActive))
            switch decision {
            case .rotate:
                session.generation += 1
                session.rotatedAtMillis = nowMillis
                session.lastUsedAt = now
                try await db.run(
                    RotateSession(session: session, nowMillis: nowMillis, token: token, replacement: ByteBuffer(bytes: replacementHash)))
            case .grace:
                session.lastUsedAt = now
                try await db.run("UPDATE sessions SET last_used_at = \(now) WHERE id = \(session.id)")
                try await db.run(MarkRefreshTokenUsed(token: token, now: now))
                try await Self.insertRefreshToken(
                    db, hash: replacementHash, sessionID: session.id, generation: session.generation, now: now)
            case .reuse:
                session.endedAt = now
                session.endReason = SessionEndReason.refreshTokenReuse.rawValue
                try await db.run(
                    """
                    UPDATE sessions SET ended_at = \(now), end_reason = \(SessionEndReason.refreshTokenReuse.rawValue)
                    WHERE id = \(session.id)
                    """)
            case .reject:
                break
            }
            return (decision, session)
        }
    }

    static func insertRefreshToken(_ db: Connection, hash: [UInt8], sessionID: String, generation: Int64, now: Int64)
        async throws
    {
        try await db.run(InsertRefreshToken(hash: ByteBuffer(bytes: hash), sessionID: sessionID, generation: generation, now: now))
    }
}

// The exchange's statements, prepared: every refresh runs them.

/// Locks the session of the refresh token whose hash is `token`.
struct LockRefreshTokenSession: PreparedStatement {
    static let name = "lock_refresh_token_session"
    static let sql = "SELECT 1 FROM sessions WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = $1) FOR UPDATE"
    let token: ByteBuffer

    func makeBindings() -> PostgresBindings { .init(token) }
}

/// The token's generation and use, its account's status and its session: a `RefreshCandidate`.
struct RefreshCandidateRow: PreparedStatement {
    static let name = "refresh_candidate"
    static let sql = """
        SELECT t.generation, t.used_at, a.status, \(prefixed(Session.columns, "s"))
        FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN accounts a ON a.id = s.account_id
        WHERE t.token_hash = $1
        """
    let token: ByteBuffer

    func makeBindings() -> PostgresBindings { .init(token) }
}

/// A rotation's writes in one round trip: the session's new generation and times, the token
/// marked used (keeping the time of its first use), and the session's next token. One statement
/// of data-modifying `WITH`s, on rows the exchange holds the session's lock for; two round trips
/// fewer than as three statements (a fifth more rotations a second on one node).
struct RotateSession: PreparedStatement {
    static let name = "rotate_session"
    static let sql = """
        WITH rotated AS (UPDATE sessions SET generation = $1, rotated_at_ms = $2, last_used_at = $3 WHERE id = $4),
        used AS (UPDATE refresh_tokens SET used_at = coalesce(used_at, $3) WHERE token_hash = $5)
        INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES ($6, $4, $1, $3)
        """
    let session: Session
    let nowMillis: Int64
    let token: ByteBuffer
    let replacement: ByteBuffer

    func makeBindings() -> PostgresBindings {
        .init(session.generation, nowMillis, session.lastUsedAt, session.id, token, replacement)
    }
}

/// Marks a refresh token used, keeping the time of its first use.
struct MarkRefreshTokenUsed: PreparedStatement {
    static let name = "mark_refresh_token_used"
    static let sql = "UPDATE refresh_tokens SET used_at = coalesce(used_at, $1) WHERE token_hash = $2"
    let token: ByteBuffer
    let now: Int64

    func makeBindings() -> PostgresBindings { .init(now, token) }
}

/// A session's next refresh token.
struct InsertRefreshToken: PreparedStatement {
    static let name = "insert_refresh_token"
    static let sql = "INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES ($1, $2, $3, $4)"
    let hash: ByteBuffer
    let sessionID: String
    let generation: Int64
    let now: Int64

    func makeBindings() -> PostgresBindings { .init(hash, sessionID, generation, now) }
}
