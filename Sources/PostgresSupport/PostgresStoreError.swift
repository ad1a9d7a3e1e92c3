import PostgresNIO

/// A failure of the PostgreSQL store: what went wrong, never a password or a query's values.
public struct PostgresStoreError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }

    /// What the server or the driver said about `error`, safe to log: PostgresNIO's own
    /// description is deliberately blank.
    public static func reason(_ error: any Error) -> String {
        if let error = error as? PostgresStoreError { return error.description }
        guard let error = error as? PSQLError else { return "\(error)" }
        if let message = error.serverInfo?[.message] {
            return "\(message) (SQLSTATE \(error.serverInfo?[.sqlState] ?? "?"))"
        }
        return "\(error.code)"
    }
}
