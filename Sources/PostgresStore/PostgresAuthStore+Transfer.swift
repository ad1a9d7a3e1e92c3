import AuthCore
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    public func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws {
        // One statement is one snapshot, however long the export takes; its rows stream in.
        try await connection { db in
            for try await row in try await db.stream("SELECT \(unescaped: Account.columns) FROM accounts ORDER BY seq") {
                try body(try Account(row))
            }
        }
    }

    /// Records looked up per statement.
    static let collisionBatch = 10_000

    public func collisions(of records: [TransferRecord]) async throws -> [ImportCollision] {
        try await connection { db in
            // An empty database collides with nothing: a million records need no lookups.
            guard try await db.exists("SELECT 1 FROM accounts LIMIT 1") else {
                return Array(repeating: .none, count: records.count)
            }
            var found: [ImportCollision] = []
            found.reserveCapacity(records.count)
            for start in stride(from: 0, to: records.count, by: Self.collisionBatch) {
                let batch = records[start..<min(start + Self.collisionBatch, records.count)]
                let rows = try await db.rows(
                    """
                    SELECT byEmail.id, byID.email, byID.password_hash
                    FROM unnest(\(batch.map(\.id)), \(batch.map(\.email))) WITH ORDINALITY AS r (id, email, position)
                    LEFT JOIN accounts byEmail ON byEmail.email = r.email LEFT JOIN accounts byID ON byID.id = r.id
                    ORDER BY r.position
                    """)
                for row in rows {
                    let (idOfEmail, emailOfID, hashOfID) = try row.decode((String?, String?, String?).self)
                    found.append(ImportCollision(idOfEmail: idOfEmail, emailOfID: emailOfID, hashOfID: hashOfID))
                }
            }
            return found
        }
    }

    /// How long one transaction of an import may run: a running server's writes to the same
    /// accounts wait at most about this long.
    static let importBatchDuration = Duration.milliseconds(200)

    public func writeImport(_ actions: [ImportAction], now: Int64, progress: (@Sendable (Int) -> Void)?) async throws
        -> [String]
    {
        var written: [ImportUndo] = []
        var next = 0
        while next < actions.count {
            progress?(next)
            let start = next
            let batch = try await importBatch(actions[start...], now: now)
            guard batch.failures.isEmpty else {
                // Someone took an email meanwhile: take back the batches already written.
                let done = written
                try await transaction { db in try await ImportUndo.apply(done, db: db) }
                return batch.failures
            }
            written += batch.undo
            next = batch.end
        }
        return []
    }

    /// Writes `actions` in order for about `importBatchDuration`, in one transaction that commits
    /// only if every write succeeded; returns the undo steps, the failures met, and the index of
    /// the first action not written.
    private func importBatch(_ actions: ArraySlice<ImportAction>, now: Int64) async throws
        -> (undo: [ImportUndo], failures: [String], end: Int)
    {
        do {
            return try await transaction { db in
                let deadline = ContinuousClock.now + Self.importBatchDuration
                var undo: [ImportUndo] = []
                var failures: [String] = []
                for (index, action) in zip(actions.indices, actions) {
                    if index % 256 == 0, index > actions.startIndex, ContinuousClock.now >= deadline {
                        return (undo, [], index)
                    }
                    switch try await ImportUndo.write(action, now: now, db: db) {
                    case .written(let step): undo.append(step)
                    case .failed(let failure): failures.append(failure)
                    }
                }
                guard failures.isEmpty else { throw ImportFailures(lines: failures) }
                return (undo, [], actions.endIndex)
            }
        } catch let failed as ImportFailures {
            return ([], failed.lines, actions.endIndex)
        }
    }
}

/// Thrown to roll back an import batch that met failures.
struct ImportFailures: Error {
    let lines: [String]
}
