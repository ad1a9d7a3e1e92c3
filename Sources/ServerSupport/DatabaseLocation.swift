import Foundation
import PostgresSupport

/// Where a service keeps its data: a SQLite file (the embedded default), or a PostgreSQL
/// database that several nodes share. Its description, for logs, never shows a password.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(PostgresDatabaseURL, poolSize: Int)

    public var description: String {
        switch self {
        case .sqlite(let path): path
        case .postgres(let url, _): "\(url)"
        }
    }
}

extension SettingsSource {
    /// Reads `variable` (a SQLite path or a `postgres://` URL), `variable_PASSWORD_FILE` (the
    /// PostgreSQL password, so it needn't be in the URL) and `variable_POOL` (connections per node).
    public mutating func database(_ variable: String, default path: String) throws -> DatabaseLocation {
        let value = try string(
            variable, default: path, help: "the SQLite file, or postgres://user[:password]@host[:port]/dbname[?sslmode=…]")
        let passwordFile = try optionalString("\(variable)_PASSWORD_FILE", help: "file holding the PostgreSQL password")
        let poolSize = try integer("\(variable)_POOL", default: 10, in: 1...1_000, help: "PostgreSQL connections per node")
        guard PostgresDatabaseURL.isPostgresURL(value) else {
            guard passwordFile == nil else {
                throw StartupError.badSetting("\(variable)_PASSWORD_FILE needs a PostgreSQL \(variable)")
            }
            return .sqlite(path: value)
        }
        let password = try passwordFile.map { path in
            guard let password = PostgresDatabaseURL.password(fromFile: path) else {
                throw StartupError.badSetting("\(variable)_PASSWORD_FILE: cannot read \(path)")
            }
            return password
        }
        do {
            return .postgres(try PostgresDatabaseURL(value, password: password), poolSize: poolSize)
        } catch {
            throw StartupError.badSetting("\(variable): \(error)")
        }
    }
}
