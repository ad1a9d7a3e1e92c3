import PostgresNIO
import _ConnectionPoolModule

/// The database can't be reached right now (down, restarting, refusing connections, or it
/// dropped the connection): the request may succeed when retried, and nothing was acknowledged.
public struct PostgresUnavailable: Error, CustomStringConvertible, Sendable {
    /// What went wrong, safe to log.
    public let description: String

    init(_ description: String) {
        self.description = description
    }

    /// Whether `error` means the server or the connection to it failed, rather than the statement.
    static func isUnreachable(_ error: any Error) -> Bool {
        switch error {
        case is PostgresUnavailable, is ConnectionPoolError:
            return true
        case let error as PSQLError where error.code == .server:
            return unreachableStates.contains { error.serverInfo?[.sqlState]?.hasPrefix($0) ?? false }
        case let error as PSQLError:
            return error.code != .tooManyParameters && error.code != .invalidCommandTag
        default:
            return false
        }
    }

    /// SQLSTATE classes and codes of a server going away or refusing work for now: connection
    /// exceptions, insufficient resources (too many connections), and shutting down.
    private static let unreachableStates = ["08", "53", "57P01", "57P02", "57P03"]
}
