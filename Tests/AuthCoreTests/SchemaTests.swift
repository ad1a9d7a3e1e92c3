import Foundation
import GRDB
import Testing

@testable import AuthCore

@Suite struct SchemaTests {
    static func schema(of writer: any DatabaseWriter) throws -> [String] {
        try writer.read { db in
            try String.fetchAll(
                db, sql: "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'grdb%' ORDER BY name")
        }
    }

    @Test func migratedDatabaseMatchesSchemaSQL() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../schema.sql")
        let reference = try DatabaseQueue()
        try reference.write { db in try db.execute(sql: String(contentsOf: file, encoding: .utf8)) }
        let migrated = try AuthDatabase.inMemory().writer
        #expect(try Self.schema(of: migrated) == Self.schema(of: reference))
        #expect(try Self.schema(of: migrated).count >= 7)
    }

    /// Tables with their columns (name, type, not null, default, key), indexes and triggers: what
    /// an upgraded and a new database must agree on (the SQL text differs where ALTER TABLE added).
    static func structure(of writer: any DatabaseWriter) throws -> [String] {
        try writer.read { db in
            let objects = try Row.fetchAll(
                db, sql: "SELECT type, name, tbl_name FROM sqlite_master WHERE name NOT LIKE 'grdb%' AND name NOT LIKE 'sqlite%'")
            return try objects.flatMap { object -> [String] in
                let (type, name): (String, String) = (object["type"], object["name"])
                guard type == "table" else { return ["\(type) \(name) on \(object["tbl_name"] as String)"] }
                let columns = try Row.fetchAll(db, sql: "SELECT * FROM pragma_table_xinfo(?)", arguments: [name])
                return columns.map { "\(name).\($0["name"] as String) \($0["type"] as String) \($0["notnull"] as Int) \(String(describing: $0["dflt_value"] as String?)) \($0["pk"] as Int)" }
            }.sorted()
        }
    }

    @Test func aVersion1DatabaseUpgradesToTheCurrentSchema() throws {
        let v1 = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/schema-v1.sql")
        let old = try DatabaseQueue()
        try old.write { db in
            try db.execute(sql: String(contentsOf: v1, encoding: .utf8))
            try db.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v1')")
            try db.execute(sql: "INSERT INTO accounts VALUES ('00000000-0000-4000-8000-000000000001', 'a@b.c', 'active', 'h', 0, 0)")
            try db.execute(
                sql: "INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at) VALUES ('00000000-0000-4000-8000-000000000002', '00000000-0000-4000-8000-000000000001', 0, 0, 9)")
        }
        try AuthDatabase.migrator.migrate(old)
        #expect(try Self.structure(of: old) == Self.structure(of: AuthDatabase.inMemory().writer))
        #expect(try old.read { try String.fetchOne($0, sql: "SELECT client_id FROM sessions") } == "default")
    }

    @Test func createsAPrivateWALDatabaseWithForeignKeysAndFullSync() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auth.sqlite").path
        let (store, created) = try AuthDatabase.open(path: path, migrate: false)
        #expect(created)
        let mode = try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        let (journal, foreignKeys) = try store.writer.read { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA foreign_keys"))
        }
        #expect(journal == "wal" && foreignKeys == 1)
        // The connection that commits syncs fully (2 = FULL), whatever the pool's WAL set-up chose.
        #expect(try store.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 2)
        // Page caches: large for the writer, smaller for each reader, so memory stays bounded.
        #expect(try store.writer.writeWithoutTransaction { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -AuthDatabase.writerCacheKiB)
        #expect(try store.writer.read { try Int.fetchOne($0, sql: "PRAGMA cache_size") } == -AuthDatabase.readerCacheKiB)
        #expect(try AuthDatabase.open(path: path, migrate: false).created == false)
    }

    @Test func refusesADatabaseFromANewerVersion() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("auth.sqlite").path
        let (store, _) = try AuthDatabase.open(path: path, migrate: false)
        try store.writer.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')") }
        #expect(throws: AuthDatabase.OpenError.self) { try AuthDatabase.open(path: path, migrate: true) }
    }

    @Test func theSchemaRejectsWhatTheModelForbids() async throws {
        let store = try AuthDatabase.inMemory()
        try await store.writer.write { db in
            #expect(throws: DatabaseError.self) {
                try db.execute(sql: "INSERT INTO accounts VALUES ('x', 'A@B.C', 'active', 'h', 0, 0)")
            }
            #expect(throws: DatabaseError.self) {
                try db.execute(
                    sql: "INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at) VALUES (?, 'missing', 0, 0, 0)",
                    arguments: [UUID().uuidString.lowercased()])
            }
        }
    }
}
