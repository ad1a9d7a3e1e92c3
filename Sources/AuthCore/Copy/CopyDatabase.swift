/// Copies a whole database into an empty one (`authctl copy`): every table's rows as they are —
/// ids, hashes, sealed blobs, times — read from one snapshot of the source and written in one
/// transaction of the target, so sessions, refresh tokens and keys work there as before, with
/// the same key file.
public struct CopyDatabase: Sendable {
    /// Rows read and written at a time: memory stays bounded however large the audit log.
    public static let batchSize = 500

    /// How many rows of one table were copied.
    public struct Count: Sendable, Equatable {
        public let table: String
        public let rows: Int
    }

    let source: any CopySource
    /// The key file's key, which the target must be used with.
    let keys: KeyRing
    /// Hears the table being copied and its rows so far, after each batch.
    let progress: (@Sendable (String, Int) -> Void)?

    public init(source: any CopySource, keys: KeyRing, progress: (@Sendable (String, Int) -> Void)? = nil) {
        self.source = source
        self.keys = keys
        self.progress = progress
    }

    /// Refuses unless the key opens the source's signing keys, then opens the target, copies,
    /// and returns each table's count. On any failure the target is left as it was.
    public func callAsFunction(to openTarget: () async throws -> any CopyTarget) async throws -> [Count] {
        try await checkKeys()
        let target = try await openTarget()
        defer { try? target.close() }
        do {
            return try await source.withSnapshot { snapshot in
                try await target.load { loader in try await Self.copy(snapshot, into: loader, progress: progress) }
            }
        } catch {
            target.discard()
            throw error
        }
    }

    /// A copy whose keys don't open with the key file could sign nothing: refused before writing.
    func checkKeys() async throws {
        for key in try await source.signingKeys() {
            do {
                _ = try keys.open(key.sealedPrivateKey)
            } catch {
                throw CopyRefusal("the key file does not open signing key \(key.kid) of the source; use the key file its nodes use")
            }
        }
    }

    static func copy(
        _ snapshot: any CopySnapshot, into loader: any CopyLoader, progress: (@Sendable (String, Int) -> Void)?
    ) async throws -> [Count] {
        var counts: [Count] = []
        for table in CopiedTable.all {
            var rows = 0
            try await snapshot.read(table, batchSize: batchSize) { batch in
                try await loader.insert(batch, into: table)
                rows += batch.count
                progress?(table.name, rows)
            }
            counts.append(Count(table: table.name, rows: rows))
        }
        return counts
    }
}
