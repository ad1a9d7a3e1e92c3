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
