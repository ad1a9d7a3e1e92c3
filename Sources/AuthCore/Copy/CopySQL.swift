/// The statements a store runs to copy a table, in its own spelling of names and parameters.
public struct CopySQL: Sendable {
    let name: @Sendable (CopiedTable.Column) -> String
    let placeholder: @Sendable (Int) -> String

    /// `name` spells a column, `placeholder` the Nth parameter (from 1).
    public init(
        name: @escaping @Sendable (CopiedTable.Column) -> String, placeholder: @escaping @Sendable (Int) -> String
    ) {
        self.name = name
        self.placeholder = placeholder
    }

    /// Rows of `table` in key order; with `resuming`, those after the key bound as the parameters.
    public func select(_ table: CopiedTable, resuming: Bool = false, limit: Int? = nil) -> String {
        let key = table.keyPositions.map { name(table.columns[$0]) }
        var sql = "SELECT \(table.columns.map(name).joined(separator: ", ")) FROM \(table.name)"
        if resuming {
            let parameters = key.indices.map { placeholder($0 + 1) }
            sql += " WHERE (\(key.joined(separator: ", "))) > (\(parameters.joined(separator: ", ")))"
        }
        sql += " ORDER BY \(key.joined(separator: ", "))"
        return limit.map { sql + " LIMIT \($0)" } ?? sql
    }

    /// An insert of `rows` rows into `table`, their values bound in order.
    public func insert(_ table: CopiedTable, rows: Int) -> String {
        let width = table.columns.count
        let tuples = (0..<rows).map { row in
            "(" + (1...width).map { placeholder(row * width + $0) }.joined(separator: ", ") + ")"
        }
        return "INSERT INTO \(table.name) (\(table.columns.map(name).joined(separator: ", "))) VALUES "
            + tuples.joined(separator: ", ")
    }

    /// How many rows `table` holds besides the one its schema creates.
    public func count(_ table: CopiedTable) -> String {
        "SELECT count(*) FROM \(table.name)" + (table.seed.map { " WHERE NOT (\($0))" } ?? "")
    }

    /// Removes the row the schema created, which the copy replaces.
    public func deleteSeed(_ table: CopiedTable) -> String? {
        table.seed.map { "DELETE FROM \(table.name) WHERE \($0)" }
    }
}
