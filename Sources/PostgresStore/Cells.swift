import Foundation
import PostgresNIO
import PostgresSupport

/// A row's cells read left to right: each record takes its columns in the order of its
/// `columns` list, so one row can hold several records (a session and its account).
struct Cells {
    private let row: PostgresRandomAccessRow
    private var next = 0

    init(_ row: PostgresRow) {
        self.row = row.makeRandomAccess()
    }

    /// The next cell, decoded as `T`.
    mutating func take<T: PostgresDecodable>(_ type: T.Type = T.self) throws -> T {
        defer { next += 1 }
        return try row[next].decode(T.self)
    }

    /// The next cell, a BYTEA, as bytes.
    mutating func bytes() throws -> [UInt8] {
        [UInt8](try take(Data.self))
    }
}
