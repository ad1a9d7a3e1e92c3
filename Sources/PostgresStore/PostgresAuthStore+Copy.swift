import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension CopySQL {
    /// PostgreSQL's spelling: `$1`, `$2`…
    static let postgres = CopySQL(name: \.name, placeholder: { "$\($0)" })
}

extension PostgresAuthStore: CopySource {
    /// A REPEATABLE READ, READ ONLY transaction: every table as of its first statement.
    public func withSnapshot<T: Sendable>(_ body: (any CopySnapshot) async throws -> T) async throws -> T {
        try await transaction { db in
            try await db.run("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            return try await body(PostgresSnapshot(db: db))
        }
    }
}

/// Reads each table with one statement whose rows stream in as they are taken.
struct PostgresSnapshot: CopySnapshot {
    let db: Connection

    func read(_ table: CopiedTable, batchSize: Int, _ body: ([CopiedRow]) async throws -> Void) async throws {
        var batch: [CopiedRow] = []
        for try await row in try await db.stream(PostgresQuery(unsafeSQL: CopySQL.postgres.select(table))) {
            batch.append(try CopiedRow(row, of: table))
            if batch.count == batchSize {
                try await body(batch)
                batch.removeAll(keepingCapacity: true)
            }
        }
        if !batch.isEmpty { try await body(batch) }
    }
}

extension CopiedRow {
    init(_ row: PostgresRow, of table: CopiedTable) throws {
        let cells = row.makeRandomAccess()
        self = try table.columns.indices.map { index in
            let cell = cells[index]
            switch table.columns[index].kind {
            case .integer: return try cell.decode(Int64?.self).map(CopiedValue.integer) ?? .null
            case .text: return try cell.decode(String?.self).map(CopiedValue.text) ?? .null
            case .bytes: return try cell.decode(Data?.self).map { .bytes([UInt8]($0)) } ?? .null
            case .boolean: return try cell.decode(Bool?.self).map(CopiedValue.boolean) ?? .null
            }
        }
    }
}

extension PostgresBindings {
    mutating func append(_ value: CopiedValue) throws {
        switch value {
        case .null: appendNull()
        case .integer(let value): append(value)
        case .text(let value): append(value)
        case .bytes(let value): try append(Data(value))
        case .boolean(let value): append(value)
        }
    }
}
