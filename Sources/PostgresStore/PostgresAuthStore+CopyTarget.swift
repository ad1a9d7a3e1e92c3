import AuthCore
import Logging
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore: CopyTarget {
    /// Opens the target of a copy: a database without tables gets the current schema; one with
    /// the current schema passes on (whether it holds rows is checked in `load`); any other is refused.
    public static func openCopyTarget(_ url: PostgresDatabaseURL, logger: Logger = Logger(label: "auth.postgres"))
        async throws -> PostgresAuthStore
    {
        try await open(url, poolSize: 2, timeout: .seconds(15), logger: logger) { store in
            try await store.checkCopyTargetSchema(url)
            try await migrations.apply(on: store.pool)
        }
    }

    func checkCopyTargetSchema(_ url: PostgresDatabaseURL) async throws {
        let tables = try await pool.connection { db in
            try await db.rows("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
                .map { try $0.decode(String.self) }
        }
        if tables.isEmpty { return }
        let others = CopiedTable.others(in: tables, migrations: Self.migrations.table)
        guard others.isEmpty else { throw CopyRefusal.otherTables(others, in: "target database \(url.database)") }
        let version = try await Self.migrations.currentVersion(on: pool)
        guard version == Self.migrations.latest else {
            throw CopyRefusal("target database \(url.database) has schema version \(version), not \(Self.migrations.latest); copy only into an empty database")
        }
    }

    /// Locks every table against writers (readers go on), so the emptiness checked holds until the commit.
    public func load<T: Sendable>(_ body: (any CopyLoader) async throws -> T) async throws -> T {
        try await transaction { db in
            let names = CopiedTable.all.map(\.name).joined(separator: ", ")
            try await db.run(PostgresQuery(unsafeSQL: "LOCK TABLE \(names) IN EXCLUSIVE MODE"))
            var counts: [(table: String, rows: Int)] = []
            for table in CopiedTable.all {
                counts.append((table.name, Int(try await db.value(PostgresQuery(unsafeSQL: CopySQL.postgres.count(table)), as: Int64.self) ?? 0)))
            }
            guard counts.allSatisfy({ $0.rows == 0 }) else { throw CopyRefusal.notEmpty(counts, in: "the target database") }
            for delete in CopiedTable.all.compactMap(CopySQL.postgres.deleteSeed) { try await db.run(PostgresQuery(unsafeSQL: delete)) }
            let result = try await body(PostgresLoader(db: db))
            for table in CopiedTable.all {
                for column in table.columns where column.generated {
                    // The identity's next value: past the largest copied one.
                    try await db.run(PostgresQuery(unsafeSQL: """
                        SELECT setval(pg_get_serial_sequence('\(table.name)', '\(column.name)'), coalesce(max(\(column.name)), 0) + 1, false)
                        FROM \(table.name)
                        """))
                }
            }
            return result
        }
    }

    /// Nothing to take back: the transaction rolled back, and an empty schema may stay.
    public func discard() {}
}

/// Inserts each batch with one statement, in the transaction `load` holds.
struct PostgresLoader: CopyLoader {
    let db: Connection

    func insert(_ rows: [CopiedRow], into table: CopiedTable) async throws {
        guard !rows.isEmpty else { return }
        var bindings = PostgresBindings(capacity: rows.count * table.columns.count)
        for row in rows { for value in row { try bindings.append(value) } }
        do {
            try await db.run(PostgresQuery(unsafeSQL: CopySQL.postgres.insert(table, rows: rows.count), binds: bindings))
        } catch {
            throw PostgresStoreError("cannot write \(table.name): \(PostgresStoreError.reason(error))")
        }
    }
}
