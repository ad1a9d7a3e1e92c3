/// One table of the token service's schema as a copy sees it: the same on SQLite and on
/// PostgreSQL (`schema.sql` and its translation in `PostgresStore/Migrations`). `all` is the
/// one list of what a copy carries; `CopyTests` checks it names every table and column of both.
public struct CopiedTable: Sendable {
    /// How a column's values travel between the stores.
    public enum Kind: Sendable {
        case integer, text, bytes
        /// SQLite's 0 or 1, PostgreSQL's BOOLEAN.
        case boolean
    }

    public struct Column: Sendable {
        public let name: String
        public let kind: Kind
        /// Its name on SQLite, where it differs (the rowid).
        public let sqliteName: String
        /// Whether the store draws new rows' values itself (a PostgreSQL identity column):
        /// after a copy, it must draw past every copied value.
        public let generated: Bool

        init(_ name: String, _ kind: Kind, sqliteName: String? = nil, generated: Bool = false) {
            self.name = name
            self.kind = kind
            self.sqliteName = sqliteName ?? name
            self.generated = generated
        }

        /// The insertion order where SQLite keeps it in the rowid and PostgreSQL in `seq`: a
        /// listing's tie-break, carried so the order of rows survives a move.
        static let seq = Column("seq", .integer, sqliteName: "rowid", generated: true)
    }

    public let name: String
    /// The columns, in the order of each row's values.
    public let columns: [Column]
    /// The columns rows are read in order of, unique together (the primary key, or the rowid).
    public let key: [String]
    /// What the one row the schema creates in this table looks like (`audit_retention`'s), as
    /// SQL: it doesn't make a target non-empty, and the copy replaces it.
    public let seed: String?

    init(_ name: String, _ columns: [Column], key: [String], seed: String? = nil) {
        self.name = name
        self.columns = columns
        self.key = key
        self.seed = seed
    }

    /// The names in `tables` that are neither a copied table nor the store's `migrations` table.
    public static func others(in tables: [String], migrations: String) -> [String] {
        tables.filter { name in name != migrations && !all.contains { $0.name == name } }
    }

    /// The positions of `key` in each row.
    public var keyPositions: [Int] {
        key.map { name in columns.firstIndex { $0.name == name }! }
    }
}

/// One value of a copied row.
public enum CopiedValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case bytes([UInt8])
    case boolean(Bool)
}

/// A row's values, in the order of its table's `columns`.
public typealias CopiedRow = [CopiedValue]
