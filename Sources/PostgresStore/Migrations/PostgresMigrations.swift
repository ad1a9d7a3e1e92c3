import PostgresNIO

/// The PostgreSQL schema's versioned steps. `schema_migrations` holds the versions applied;
/// a node at start applies the missing ones in one transaction, under an advisory lock so
/// nodes starting together migrate one at a time (the others then find the work done).
enum PostgresMigrations {
    /// Each version's statements, in order: version N is `steps[N - 1]`.
    static let steps: [[String]] = [Migration1.statements]

    static var latest: Int64 { Int64(steps.count) }

    /// The advisory lock every migrating node takes (any constant no other code uses).
    static let lockKey: Int64 = 0x6175_7468_5F6D_6967  // "auth_mig"

    static func apply(on store: PostgresAuthStore) async throws {
        try await store.transaction { db in
            try await db.run("SELECT pg_advisory_xact_lock(\(lockKey))")
            try await db.run(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let current = try await version(db)
            guard current <= latest else {
                throw PostgresStoreError(
                    "the database was migrated by a newer version (schema \(current), this program knows \(latest)); upgrade this program")
            }
            for version in stride(from: current + 1, through: latest, by: 1) {
                for statement in steps[Int(version) - 1] { try await db.run(PostgresQuery(unsafeSQL: statement)) }
                try await db.run(
                    "INSERT INTO schema_migrations (version, applied_at) VALUES (\(version), extract(epoch FROM now())::bigint)")
            }
        }
    }

    /// The schema version the database is at (0: none yet).
    static func currentVersion(on store: PostgresAuthStore) async throws -> Int64 {
        try await store.connection { db in
            guard try await db.exists("SELECT 1 FROM pg_tables WHERE tablename = 'schema_migrations' AND schemaname = current_schema()")
            else { return 0 }
            return try await version(db)
        }
    }

    private static func version(_ db: Connection) async throws -> Int64 {
        try await db.value("SELECT coalesce(max(version), 0) FROM schema_migrations", as: Int64.self) ?? 0
    }
}
