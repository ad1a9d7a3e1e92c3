import AuthCore
import Foundation
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
        let token = Data(hash)
        return try await transaction { db in
            let locked = try await db.exists(
                """
                SELECT 1 FROM sessions WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = \(token)) FOR UPDATE
                """)
            guard locked,
                let row = try await db.rows(
                    """
                    SELECT t.generation, t.used_at, a.status, \(unescaped: prefixed(Session.columns, "s"))
                    FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN accounts a ON a.id = s.account_id
                    WHERE t.token_hash = \(token)
                    """
                ).first
            else { return nil }
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
                    """
                    UPDATE sessions SET generation = \(session.generation), rotated_at_ms = \(nowMillis), last_used_at = \(now)
                    WHERE id = \(session.id)
                    """)
            case .grace:
                session.lastUsedAt = now
                try await db.run("UPDATE sessions SET last_used_at = \(now) WHERE id = \(session.id)")
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
            if decision == .rotate || decision == .grace {
                try await db.run("UPDATE refresh_tokens SET used_at = coalesce(used_at, \(now)) WHERE token_hash = \(token)")
                try await Self.insertRefreshToken(
                    db, hash: replacementHash, sessionID: session.id, generation: session.generation, now: now)
            }
            return (decision, session)
        }
    }

    static func insertRefreshToken(_ db: Connection, hash: [UInt8], sessionID: String, generation: Int64, now: Int64)
        async throws
    {
        try await db.run(
            """
            INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at)
            VALUES (\(Data(hash)), \(sessionID), \(generation), \(now))
            """)
    }
}
