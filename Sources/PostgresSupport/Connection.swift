import PostgresNIO

/// A leased connection with the store's logger: the statements a store method runs.
public struct Connection: Sendable {
    let base: PostgresConnection
    let logger: Logger

    /// Every row `query` returns (its errors surface here, not later).
    ///
    /// A statement sent just as the connection closes fails with `PostgresUnavailable`:
    /// postgres-nio (1.33) drops such a statement without ever answering it, so awaiting its
    /// answer alone could hang for ever. Once the driver has taken the statement, the event loop
    /// runs a check behind it: a statement still unanswered on a closed connection was dropped
    /// (one in flight is failed by the close itself, before the check runs).
    public func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
        let answer = base.eventLoop.makePromise(of: [PostgresRow].self)
        base.query(query, logger: logger).whenComplete { answer.completeWith($0.map(\.rows)) }
        base.eventLoop.execute { [base] in
            if base.isClosed { answer.fail(PostgresUnavailable("the connection closed before the statement was sent")) }
        }
        return try await answer.futureResult.get()
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
