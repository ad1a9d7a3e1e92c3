import Logging
import PostgresNIO
import PostgresSupport
import ServerSupport
import WireFormat

/// The listings in a PostgreSQL database that several listings nodes share. While the database
/// can't be reached, every method throws 503 `unavailable`.
struct PostgresListingStore: ListingStore {
    let pool: PostgresPool

    /// The schema, in versioned steps (its own table of versions: the token service's may
    /// share the database).
    static let migrations = PostgresMigrations(
        table: "listings_schema_migrations", lockKey: 0x6C69_7374_5F6D_6967,  // "list_mig"
        steps: [[
            """
            CREATE TABLE listings (
                seq         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,  -- creation order, never reused
                id          TEXT   NOT NULL UNIQUE CHECK (length(id) = 36),
                owner_id    TEXT   NOT NULL CHECK (length(owner_id) > 0),
                title       TEXT   NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
                description TEXT   NOT NULL DEFAULT '' CHECK (length(description) <= 5000),
                price_cents BIGINT NOT NULL CHECK (price_cents BETWEEN 0 AND 1000000000000),
                currency    TEXT   NOT NULL CHECK (length(currency) = 3 AND currency = upper(currency)),
                status      TEXT   NOT NULL CHECK (status IN ('active', 'archived', 'sold')),
                created_at  BIGINT NOT NULL,  -- milliseconds since 1970
                updated_at  BIGINT NOT NULL
            )
            """,
            // Serves "this owner's listings of this status, newest first" from the index alone.
            "CREATE INDEX listings_by_owner ON listings (owner_id, status, seq)",
        ]])

    /// Connects with at most `poolSize` connections and brings the schema up to date.
    static func open(_ url: PostgresDatabaseURL, poolSize: Int, logger: Logger) async throws -> PostgresListingStore {
        PostgresListingStore(
            pool: try await PostgresPool.open(
                url, poolSize: poolSize, timeout: .seconds(15), logger: logger, prepare: { try await migrations.apply(on: $0) }))
    }

    func close() throws {
        pool.close()
    }

    func insert(_ listing: Listing) async throws -> Listing {
        let sequence = try await connection { db in
            try await db.value(
                """
                INSERT INTO listings (id, owner_id, title, description, price_cents, currency, status, created_at, updated_at)
                VALUES (\(listing.id), \(listing.ownerID), \(listing.title), \(listing.description), \(listing.priceCents),
                        \(listing.currency), \(listing.status.rawValue), \(listing.createdAt), \(listing.updatedAt))
                RETURNING seq
                """, as: Int64.self)
        }
        var stored = listing
        stored.sequence = sequence ?? 0
        return stored
    }

    func listing(id: String, ownerID: String) async throws -> Listing? {
        try await connection { db in
            try await db.rows(
                "SELECT \(unescaped: Listing.columns) FROM listings WHERE id = \(id) AND owner_id = \(ownerID)"
            ).first.map(Listing.init(row:))
        }
    }

    nonisolated(nonsending) func page(
        ownerID: String, status: Listing.Status, before: Int64?, limit: Int
    ) async throws -> ListingPage {
        let rows = try await connection { db in
            try await db.rows(ListingPageQuery(ownerID: ownerID, status: status, before: before ?? Int64.max, limit: limit + 1))
        }
        var page = ListingPage(limit: limit)
        for row in rows {
            let (listing, sequence) = try PageCells.fields(of: row)
            guard page.add(listing, sequence: sequence) else { break }
        }
        return page
    }

    func update(_ listing: Listing) async throws -> Bool {
        try await connection { db in
            try await db.count(
                """
                UPDATE listings SET title = \(listing.title), description = \(listing.description),
                    price_cents = \(listing.priceCents), currency = \(listing.currency),
                    status = \(listing.status.rawValue), updated_at = \(listing.updatedAt)
                WHERE id = \(listing.id) AND owner_id = \(listing.ownerID) RETURNING 1
                """) == 1
        }
    }

    func delete(id: String, ownerID: String) async throws -> Bool {
        try await connection { db in
            try await db.count("DELETE FROM listings WHERE id = \(id) AND owner_id = \(ownerID) RETURNING 1") == 1
        }
    }

    func ping() async throws {
        try await unlessUnavailable { try await Self.migrations.checkCurrent(on: pool) }
    }

    /// Runs `body` on a pooled connection (each method is one statement, which commits alone).
    private func connection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        try await unlessUnavailable { try await pool.connection(body) }
    }

    /// `operation`, with the database out of reach answered as 503 `unavailable` + `Retry-After`.
    private func unlessUnavailable<T>(_ operation: () async throws -> T) async throws -> T {
        try await pool.answeringOutages(
            with: APIError(
                .serviceUnavailable, code: "unavailable", message: "The database can't be reached; retry shortly.",
                headers: [.retryAfter: "5"]),
            operation)
    }
}

/// A page of an owner's listings, newest first: what most requests read (prepared).
struct ListingPageQuery: PreparedStatement {
    static let name = "listing_page"
    static let sql = """
        SELECT \(Listing.columns) FROM listings WHERE owner_id = $1 AND status = $2 AND seq < $3
        ORDER BY seq DESC LIMIT $4
        """
    let ownerID: String
    let status: Listing.Status
    let before: Int64
    let limit: Int

    func makeBindings() -> PostgresBindings { .init(ownerID, status.rawValue, before, limit) }
}

/// A page's row as PostgreSQL sent it (`Listing.columns`), written as it is read: its text cells
/// go into the JSON as they came (UTF-8, the binary format of TEXT), as a SQLite page's columns
/// do, with no `Listing` and no strings.
enum PageCells {
    static func fields(of row: PostgresRow) throws -> (ListingJSON<CellText>, sequence: Int64) {
        var cells = row.makeIterator()
        func next() throws -> PostgresCell {
            guard let cell = cells.next() else { throw PostgresStoreError("a listing row has too few columns") }
            return cell
        }
        func text() throws -> CellText {
            let cell = try next()
            guard cell.dataType == .text, cell.format == .binary, let bytes = cell.bytes else {
                throw PostgresStoreError("listing column \(cell.columnName) is not text")
            }
            return CellText(bytes: bytes)
        }
        func integer() throws -> Int64 { try next().decode(Int64.self) }
        let listing = ListingJSON(
            id: try text(), ownerID: try text(), title: try text(), description: try text(), priceCents: try integer(),
            currency: try text(), status: try text(), createdAt: try integer(), updatedAt: try integer())
        return (listing, try integer())
    }
}

/// A text cell's bytes, read in place.
struct CellText: UTF8Text {
    let bytes: ByteBuffer

    var utf8Count: Int { bytes.readableBytes }

    func withUTF8Bytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        bytes.withUnsafeReadableBytes { body($0.assumingMemoryBound(to: UInt8.self)) }
    }
}

extension Listing {
    /// A row of `columns`, by position.
    init(row: PostgresRow) throws {
        let (id, ownerID, title, description, priceCents, currency, status, createdAt, updatedAt, sequence) = try row.decode(
            (String, String, String, String, Int64, String, String, Int64, Int64, Int64).self)
        self.init(
            id: id, ownerID: ownerID, title: title, description: description, priceCents: priceCents, currency: currency,
            status: Status(rawValue: status) ?? .archived, createdAt: createdAt, updatedAt: updatedAt, sequence: sequence)
    }
}
