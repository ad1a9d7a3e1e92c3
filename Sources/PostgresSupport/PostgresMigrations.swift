import PostgresNIO

/// A schema's versioned steps. `table` holds the versions applied; a node at start applies the
/// missing ones in one transaction, under an advisory lock so nodes starting together migrate
/// one at a time (the others then find the work done).
public struct PostgresMigrations: Sendable {
    /// The table of versions applied (one per schema sharing a database).
    public let table: String
    /// The advisory lock every migrating node takes (a constant no other code uses).
    let lockKey: Int64
    /// Each version's statements, in order: version N is `steps[N - 1]`.
    let steps: [[String]]

    public init(table: String, lockKey: Int64, steps: [[String]]) {
        self.table = table
        self.lockKey = lockKey
        self.steps = steps
    }

    /// The version this program brings a database to.
    public var latest: Int64 { Int64(steps.count) }

    /// Applies the missing versions, one node at a time; refuses a database a newer program migrated.
    public func apply(on pool: PostgresPool) async throws {
        try await pool.transaction { db in
            try await db.run("SELECT pg_advisory_xact_lock(\(lockKey))")
            try await db.run(
                "CREATE TABLE IF NOT EXISTS \(unescaped: table) (version BIGINT NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)")
            let current = try await version(db)
            guard current <= latest else {
                throw PostgresStoreError(
                    "the database was migrated by a newer version (schema \(current), this program knows \(latest)); upgrade this program")
            }
            for version in stride(from: current + 1, through: latest, by: 1) {
                for statement in steps[Int(version) - 1] { try await db.run(PostgresQuery(unsafeSQL: statement)) }
                try await db.run(
                    "INSERT INTO \(unescaped: table) (version, applied_at) VALUES (\(version), extract(epoch FROM now())::bigint)")
            }
        }
    }

    /// Throws unless the database is at `latest` (a node's readiness check).
    public func checkCurrent(on pool: PostgresPool) async throws {
        let version = try await currentVersion(on: pool)
        guard version == latest else {
            throw PostgresStoreError("database schema is not current (version \(version), expected \(latest))")
        }
    }

    /// The schema version the database is at (0: none yet).
    public func currentVersion(on pool: PostgresPool) async throws -> Int64 {
        try await pool.connection { db in
            guard try await db.exists("SELECT 1 FROM pg_tables WHERE tablename = \(table) AND schemaname = current_schema()")
            else { return 0 }
            return try await version(db)
        }
    }

    private func version(_ db: Connection) async throws -> Int64 {
        try await db.value("SELECT coalesce(max(version), 0) FROM \(unescaped: table)", as: Int64.self) ?? 0
    }
}
