import PostgresNIO

/// A statement each connection has PostgreSQL parse and plan once, then only runs with new
/// values: for the statements most requests make, whose parsing and planning cost the database
/// more than running them. Give each a `name` of its own (`static let`; postgres-nio's default
/// builds one on every call) and its `sql`, with `$1`, `$2`… for the values `makeBindings` gives.
public protocol PreparedStatement: PostgresPreparedStatement where Row == PostgresRow {}

extension PreparedStatement {
    public func decodeRow(_ row: PostgresRow) -> PostgresRow { row }
}

extension Connection {
    /// Every row `statement` returns, prepared on this connection the first time it runs here.
    ///
    /// Prepared only when called on the connection's event loop (as a server's requests are,
    /// see `LoopClients`) while it is open: postgres-nio then sends the statement before this
    /// returns to the loop, so it can't be sent after a close and left unanswered (see `rows`).
    /// Elsewhere the same SQL and values go as an unnamed statement, with `rows`' check.
    public func rows<Statement: PreparedStatement>(_ statement: Statement) async throws -> [PostgresRow] {
        guard base.eventLoop.inEventLoop, !base.isClosed else {
            return try await rows(PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings()))
        }
        var rows: [PostgresRow] = []
        for try await row in try await base.execute(statement, logger: logger) { rows.append(row) }
        return rows
    }
}

extension PostgresBindings {
    /// The values of `$1`, `$2`…, in order.
    public init<each Value: PostgresDynamicTypeEncodable>(_ values: repeat each Value) {
        self.init()
        repeat append(each values)
    }
}
