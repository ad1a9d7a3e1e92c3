import GRDB

extension SQLiteAuthStore {
    public func purgeSessions(endedBefore cutoff: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.execute(
                sql: """
                    DELETE FROM sessions WHERE rowid IN (
                        SELECT rowid FROM sessions WHERE expires_at < ?1
                        UNION SELECT rowid FROM sessions WHERE ended_at < ?1 LIMIT ?2)
                    """, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    public func purgeUsedRefreshTokens(usedBefore cutoff: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.execute(
                sql: """
                    DELETE FROM refresh_tokens WHERE token_hash IN (
                        SELECT token_hash FROM refresh_tokens WHERE used_at < ? LIMIT ?)
                    """, arguments: [cutoff, limit])
            return db.changesCount
        }
    }

    public func purgeAudit(before cutoff: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.execute(
                sql: "UPDATE audit_retention SET purge_before = max(purge_before, ?) WHERE id = 1", arguments: [cutoff])
            try db.execute(
                sql: "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < ? LIMIT ?)",
                arguments: [cutoff, limit])
            return db.changesCount
        }
    }
}
