import PostgresNIO

/// A leased connection with the store's logger: the statements a store method runs.
public struct Connection: Sendable {
    let base: PostgresConnection
    let logger: Logger

    /// Every row `query` returns (its errors surface here, not later).
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        try await base.query(query, logger: logger).collect()
    }

    /// The rows of `query` as they arrive, for results too large to hold at once.
    public func stream(_ query: PostgresQuery) async throws -> PostgresRowSequence {
        try await base.query(query, logger: logger)
    }

    /// Runs a statement whose rows the caller doesn't need.
    public func run(_ query: PostgresQuery) async throws {
        _ = try await rows(query)
    }

    /// How many rows `query` returns: for `… RETURNING 1`, how many it changed.
    public func count(_ query: PostgresQuery) async throws -> Int {
        try await rows(query).count
    }

    /// Whether `query` returns a row.
    public func exists(_ query: PostgresQuery) async throws -> Bool {
        try await !rows(query).isEmpty
    }

    /// The first row's only column; nil without rows.
    public func value<T: PostgresDecodable>(_ query: PostgresQuery, as type: T.Type) async throws -> T? {
        try await rows(query).first?.decode(T.self)
    }

    /// Holds, until the transaction ends, the advisory lock named by `key`: how a transaction
    /// claims rows that may not exist yet.
    public func lock(_ key: String) async throws {
        try await run("SELECT pg_advisory_xact_lock(hashtextextended(\(key), 0))")
    }
}
