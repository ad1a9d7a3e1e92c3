import Foundation
import GRDB

extension CopySQL {
    /// SQLite's spelling: `seq` is the rowid.
    static let sqlite = CopySQL(name: \.sqliteName, placeholder: { _ in "?" })
}

extension SQLiteAuthStore: CopySource {
    /// A snapshot of the WAL file (a read transaction held open): writers go on meanwhile.
    public func withSnapshot<T: Sendable>(_ body: (any CopySnapshot) async throws -> T) async throws -> T {
        guard let pool = writer as? DatabasePool else {
            throw AuthDatabase.OpenError(description: "a copy reads a database file, not an in-memory database")
        }
        return try await body(SQLiteSnapshot(reader: try pool.makeSnapshot()))
    }
}

/// Reads each table in batches resumed after the last key read: every key is the primary key
/// or the rowid, so a batch is an index seek.
struct SQLiteSnapshot: CopySnapshot {
    let reader: DatabaseSnapshot

    func read(_ table: CopiedTable, batchSize: Int, _ body: ([CopiedRow]) async throws -> Void) async throws {
        var last: [DatabaseValue]?
        while true {
            let sql = CopySQL.sqlite.select(table, resuming: last != nil, limit: batchSize)
            let arguments = StatementArguments(last ?? [])
            let rows = try await reader.read { db in
                try Row.fetchAll(db, sql: sql, arguments: arguments).map { try CopiedRow($0, of: table) }
            }
            if !rows.isEmpty { try await body(rows) }
            guard rows.count == batchSize, let lastRow = rows.last else { return }
            last = table.keyPositions.map { lastRow[$0].databaseValue }
        }
    }
}

extension CopiedRow {
    init(_ row: Row, of table: CopiedTable) throws {
        self = try table.columns.enumerated().map { index, column in
            switch (row[index] as DatabaseValue).storage {
            case .null: return .null
            case .int64(let value) where column.kind == .integer: return .integer(value)
            case .int64(let value) where column.kind == .boolean: return .boolean(value != 0)
            case .string(let value) where column.kind == .text: return .text(value)
            case .blob(let value) where column.kind == .bytes: return .bytes([UInt8](value))
            default:
                throw AuthDatabase.OpenError(description: "\(table.name).\(column.name) holds a value of another type")
            }
        }
    }
}

extension CopiedValue {
    var databaseValue: DatabaseValue {
        switch self {
        case .null: return .null
        case .integer(let value): return value.databaseValue
        case .text(let value): return value.databaseValue
        case .bytes(let value): return Data(value).databaseValue
        case .boolean(let value): return value.databaseValue
        }
    }
}
