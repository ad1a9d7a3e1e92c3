import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func purgeSessions(endedBefore cutoff: Int64, limit: Int) async throws -> Int {
        try await connection { db in
            try await db.count(
                """
                DELETE FROM sessions WHERE id IN (
                    SELECT id FROM sessions WHERE expires_at < \(cutoff)
                    UNION SELECT id FROM sessions WHERE ended_at < \(cutoff) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }

    public func purgeUsedRefreshTokens(usedBefore cutoff: Int64, limit: Int) async throws -> Int {
        try await connection { db in
            try await db.count(
                """
                DELETE FROM refresh_tokens WHERE token_hash IN (
                    SELECT token_hash FROM refresh_tokens WHERE used_at < \(cutoff) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }

    public func purgeAudit(before cutoff: Int64, limit: Int) async throws -> Int {
        try await transaction { db in
            try await db.run("UPDATE audit_retention SET purge_before = greatest(purge_before, \(cutoff)) WHERE id = 1")
            return try await db.count(
                """
                DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < \(cutoff) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }
}
