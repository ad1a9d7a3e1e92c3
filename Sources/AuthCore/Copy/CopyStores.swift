/// A store a whole database can be copied from: every table read from one consistent snapshot.
public protocol CopySource: KeyStore {
    /// Runs `body` on one snapshot of the database, which writers meanwhile don't change.
    func withSnapshot<T: Sendable>(_ body: (any CopySnapshot) async throws -> T) async throws -> T
}

/// What a copy reads from a source's snapshot.
public protocol CopySnapshot {
    /// Hands `body` every row of `table`, in key order, `batchSize` rows at most at a time.
    func read(_ table: CopiedTable, batchSize: Int, _ body: ([CopiedRow]) async throws -> Void) async throws
}

/// An empty store a copy fills, all or nothing.
public protocol CopyTarget: Sendable {
    /// Runs `body` in one transaction, committed only if it returns. Refuses (`CopyRefusal`) a
    /// target that holds rows, and first removes the rows its schema creates (the copy brings
    /// its own); before the commit, makes the store draw new ids past the copied ones.
    func load<T: Sendable>(_ body: (any CopyLoader) async throws -> T) async throws -> T
    /// After a failure: takes back what opening the target made that a retry would trip on
    /// (a SQLite file it created). A PostgreSQL target keeps its empty schema.
    func discard()
    /// Closes the connections.
    func close() throws
}

/// What a copy writes in a target's transaction.
public protocol CopyLoader {
    /// Adds `rows` to `table`.
    func insert(_ rows: [CopiedRow], into table: CopiedTable) async throws
}

/// Why a copy is refused before anything is written: the target isn't empty, the key file
/// doesn't open the source's keys. One line, naming what is there.
public struct CopyRefusal: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

extension CopyRefusal {
    /// A target holding rows: how many, per table.
    public static func notEmpty(_ counts: [(table: String, rows: Int)], in target: String) -> CopyRefusal {
        let held = counts.filter { $0.rows > 0 }.map { "\($0.table) \($0.rows)" }.joined(separator: ", ")
        return CopyRefusal("\(target) is not empty (\(held)); copy only into an empty database")
    }

    /// A target holding tables that aren't the token service's.
    public static func otherTables(_ names: [String], in target: String) -> CopyRefusal {
        let shown = names.prefix(5).joined(separator: ", ") + (names.count > 5 ? ", …" : "")
        return CopyRefusal("\(target) holds other tables (\(shown)); copy only into an empty database")
    }
}
