import Foundation
import GRDB
import GRDBSQLite
import SQLiteSupport

/// The listings in a SQLite file: the embedded default.
struct SQLiteListingStore: ListingStore {
    let writer: any DatabaseWriter
    /// Pages, read on the calling thread.
    let reads: InlineReads

    func close() throws {
        let readsClosed = Result { try reads.close() }
        _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try writer.close()
        try readsClosed.get()
    }

    static let schema = """
        CREATE TABLE listings (
            seq         INTEGER PRIMARY KEY AUTOINCREMENT,  -- creation order, never reused
            id          TEXT    NOT NULL UNIQUE CHECK (length(id) = 36),
            owner_id    TEXT    NOT NULL CHECK (length(owner_id) > 0),
            title       TEXT    NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
            description TEXT    NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
            price_cents INTEGER NOT NULL CHECK (price_cents BETWEEN 0 AND 1000000000000),
            currency    TEXT    NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
            status      TEXT    NOT NULL CHECK (status IN ('active', 'archived', 'sold')),
            created_at  INTEGER NOT NULL,               -- milliseconds since 1970
            updated_at  INTEGER NOT NULL
        ) STRICT;
        -- Serves "this owner's listings of this status, newest first" from the index alone.
        CREATE INDEX listings_by_owner ON listings (owner_id, status, seq);
        """

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: schema) }
        return migrator
    }

    /// Opens (creating it with mode 0600 if missing) the database in WAL mode and migrates it.
    static func open(path: String) throws -> SQLiteListingStore {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw OpenError(description: "cannot create database \(path)")
            }
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(5)
        // The pool's readers and the inline ones together: GRDB's default of 5.
        let readers = InlineReads.share(of: 5)
        configuration.maximumReaderCount = readers.pool
        let pool = try DatabasePool(path: path, configuration: configuration)
        // After the pool's WAL set-up, which turns the writer to NORMAL: a 2xx survives a power cut.
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        if try pool.read({ try migrator.hasBeenSuperseded($0) }) {
            throw OpenError(description: "database \(path) was written by a newer version")
        }
        try migrator.migrate(pool)
        let reads = try InlineReads(path: path, count: readers.inline, configuration: configuration, pool: pool)
        return SQLiteListingStore(writer: pool, reads: reads)
    }

    /// An in-memory database, for tests.
    static func inMemory() throws -> SQLiteListingStore {
        let queue = try DatabaseQueue()
        try migrator.migrate(queue)
        return SQLiteListingStore(writer: queue, reads: InlineReads(pool: queue))
    }

    struct OpenError: Error, CustomStringConvertible {
        let description: String
    }

    func insert(_ listing: Listing) async throws -> Listing {
        try await writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO listings (id, owner_id, title, description, price_cents, currency, status, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    listing.id, listing.ownerID, listing.title, listing.description, listing.priceCents,
                    listing.currency, listing.status.rawValue, listing.createdAt, listing.updatedAt,
                ])
            var stored = listing
            stored.sequence = db.lastInsertedRowID
            return stored
        }
    }

    func listing(id: String, ownerID: String) async throws -> Listing? {
        try await writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT \(Listing.columns) FROM listings WHERE id = ? AND owner_id = ?"),
                arguments: [id, ownerID]
            ).map(Listing.init(row:))
        }
    }

    nonisolated(nonsending) func page(
        ownerID: String, status: Listing.Status, before: Int64?, limit: Int
    ) async throws -> ListingPage {
        try await reads.read { db in
            try PageRow.page(
                of: db.cachedStatement(sql: PageRow.sql), in: db, ownerID: ownerID, status: status.rawValue,
                before: before ?? Int64.max, limit: limit)
        }
    }

    func update(_ listing: Listing) async throws -> Bool {
        try await writer.write { db in
            try db.execute(
                sql: """
                    UPDATE listings SET title = ?, description = ?, price_cents = ?, currency = ?, status = ?, updated_at = ?
                    WHERE id = ? AND owner_id = ?
                    """,
                arguments: [
                    listing.title, listing.description, listing.priceCents, listing.currency, listing.status.rawValue,
                    listing.updatedAt, listing.id, listing.ownerID,
                ])
            return db.changesCount == 1
        }
    }

    func delete(id: String, ownerID: String) async throws -> Bool {
        try await writer.write { db in
            try db.execute(sql: "DELETE FROM listings WHERE id = ? AND owner_id = ?", arguments: [id, ownerID])
            return db.changesCount == 1
        }
    }

    func ping() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }
}

/// A page's rows, written as they are read: their text columns point into the statement's current
/// row (valid until the next step), so a page makes no strings. The bytes go out as stored:
/// UTF-8, as only this service writes them, from Swift strings.
enum PageRow {
    static let sql = """
        SELECT seq, id, owner_id, title, description, price_cents, currency, status, created_at, updated_at
        FROM listings WHERE owner_id = ? AND status = ? AND seq < ? ORDER BY seq DESC LIMIT ?
        """

    /// The page `statement` (of `sql`) reads, bound and stepped here through SQLite's own calls:
    /// GRDB's arguments and cursor were a few percent of a page. A failure of a step is GRDB's
    /// `DatabaseError`, as `InlineReads` expects; the statement is reset whatever happens, which
    /// ends its read.
    static func page(
        of statement: Statement, in db: Database, ownerID: String, status: String, before: Int64, limit: Int
    ) throws -> ListingPage {
        let handle = statement.sqliteStatement
        defer {
            sqlite3_reset(handle)
            sqlite3_clear_bindings(handle)
        }
        try check(bind(ownerID, at: 1, of: handle), db)
        try check(bind(status, at: 2, of: handle), db)
        try check(sqlite3_bind_int64(handle, 3, before), db)
        try check(sqlite3_bind_int64(handle, 4, Int64(limit) + 1), db)
        var page = ListingPage(limit: limit)
        while true {
            let code = sqlite3_step(handle)
            guard code == SQLITE_ROW else {
                try check(code == SQLITE_DONE ? SQLITE_OK : code, db)
                return page
            }
            guard page.add(fields(of: handle), sequence: sqlite3_column_int64(handle, 0)) else { return page }
        }
    }

    /// Binds `text` by its UTF-8 length (a NUL inside it stays part of it), copied by SQLite:
    /// the bytes live only for the call.
    private static func bind(_ text: String, at index: CInt, of handle: SQLiteStatement) -> CInt {
        // An empty text still needs a pointer: a null one would bind SQL NULL.
        guard !text.isEmpty else { return sqlite3_bind_text(handle, index, "", 0, transient) }
        var text = text
        return text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { sqlite3_bind_text(handle, index, $0.baseAddress, CInt($0.count), transient) }
        }
    }

    private static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    private static func check(_ code: CInt, _ db: Database) throws {
        guard code == SQLITE_OK else {
            throw DatabaseError(
                resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(db.sqliteConnection)), sql: sql)
        }
    }

    /// The listing of the row `statement` (of `sql`) is on.
    static func fields(of statement: SQLiteStatement) -> ListingJSON<UnsafeBufferPointer<UInt8>> {
        assert(sqlite3_column_count(statement) == 10, "the columns of `sql`")
        // `sqlite3_column_text` before `sqlite3_column_bytes`, as SQLite asks (arguments are
        // evaluated left to right).
        func text(_ column: Int32) -> UnsafeBufferPointer<UInt8> {
            UnsafeBufferPointer(start: sqlite3_column_text(statement, column), count: Int(sqlite3_column_bytes(statement, column)))
        }
        return ListingJSON(
            id: text(1), ownerID: text(2), title: text(3), description: text(4), priceCents: sqlite3_column_int64(statement, 5),
            currency: text(6), status: text(7), createdAt: sqlite3_column_int64(statement, 8),
            updatedAt: sqlite3_column_int64(statement, 9))
    }
}

extension Listing {
    /// The columns `init(row:)` reads, by position: a page decodes 20 rows, and looking each
    /// column up by name was a visible share of a request.
    static let columns = "id, owner_id, title, description, price_cents, currency, status, created_at, updated_at, seq"

    init(row: Row) {
        self.init(
            id: row[0], ownerID: row[1], title: row[2], description: row[3], priceCents: row[4], currency: row[5],
            status: Status(rawValue: row[6]) ?? .archived, createdAt: row[7], updatedAt: row[8], sequence: row[9])
    }
}
