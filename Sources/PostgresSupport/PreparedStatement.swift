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
    /// see `LoopClients`) while it is open: there postgres-nio writes the statement to the
    /// connection before its first suspension (it runs on its caller's executor), so a close
    /// can't come between the check and the write and leave the statement unanswered (see
    /// `rows`). Elsewhere the same SQL and values go as an unnamed statement, with `rows`' check.
    ///
    /// A statement that fails on the server for any reason but its values (a data exception or a
    /// constraint) can stay broken on its connection: postgres-nio keeps a failed preparation's
    /// error for the connection's life, and PostgreSQL refuses a statement prepared before a
    /// migration changed its result's types. So the connection is closed, for the pool to
    /// replace, and the caller told to retry (`PostgresUnavailable`).
    public func rows<Statement: PreparedStatement>(_ statement: Statement) async throws -> [PostgresRow] {
        guard base.eventLoop.inEventLoop, !base.isClosed else {
            return try await rows(PostgresQuery(unsafeSQL: Statement.sql, binds: try statement.makeBindings()))
        }
        do {
            var rows: [PostgresRow] = []
            for try await row in try await base.execute(statement, logger: logger) { rows.append(row) }
            return rows
        } catch let error as PSQLError where error.code == .server {
            let state = error.serverInfo?[.sqlState] ?? ""
            guard !state.hasPrefix("22"), !state.hasPrefix("23") else { throw error }
            try? await base.close()  // before the pool gets it back: it opens another in its place
            throw PostgresUnavailable("prepared statement \(Statement.name) failed (SQLSTATE \(state)); its connection is replaced")
        }
    }
}

extension Connection {
    /// Runs a prepared statement whose rows the caller doesn't need.
    public func run<Statement: PreparedStatement>(_ statement: Statement) async throws {
        _ = try await rows(statement)
    }

    /// Whether a prepared statement returns a row.
    public func exists<Statement: PreparedStatement>(_ statement: Statement) async throws -> Bool {
        try await !rows(statement).isEmpty
    }
}

extension PostgresBindings {
    /// The values of `$1`, `$2`…, in order.
    package init<each Value: PostgresDynamicTypeEncodable>(_ values: repeat each Value) {
        self.init()
        repeat append(each values)
    }
}
