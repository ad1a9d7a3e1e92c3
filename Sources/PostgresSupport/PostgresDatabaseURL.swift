import Foundation
import PostgresNIO

/// A `postgres://user[:password]@host[:port]/dbname[?sslmode=…]` URL (also `postgresql://`),
/// parsed into what a `PostgresClient` needs. Its description never shows the password.
public struct PostgresDatabaseURL: Sendable, Equatable, CustomStringConvertible {
    /// How to use TLS, as libpq's `sslmode` names it.
    public enum SSLMode: String, Sendable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    public var sslMode: SSLMode

    /// Whether `string` is meant as a PostgreSQL URL rather than a SQLite path.
    public static func isPostgresURL(_ string: String) -> Bool {
        string.hasPrefix("postgres://") || string.hasPrefix("postgresql://")
    }

    /// The password a `…_PASSWORD_FILE` holds (without its final line break); nil when the file
    /// can't be read.
    public static func password(fromFile path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .newlines) }
    }

    /// Parses `string`; `password`, when given, stands in for one the URL lacks. Errors name
    /// what is wrong, never the URL itself.
    public init(_ string: String, password: String? = nil) throws {
        guard Self.isPostgresURL(string), let components = URLComponents(string: string) else {
            throw PostgresStoreError("not a postgres://user@host/dbname URL")
        }
        guard let host = components.host, !host.isEmpty else { throw PostgresStoreError("the database URL has no host") }
        guard let user = components.user, !user.isEmpty else { throw PostgresStoreError("the database URL has no user") }
        let database = String(components.path.dropFirst())
        guard !database.isEmpty, !database.contains("/") else {
            throw PostgresStoreError("the database URL has no database name")
        }
        var sslMode = SSLMode.prefer
        for item in components.queryItems ?? [] {
            guard item.name == "sslmode", let value = item.value.flatMap(SSLMode.init(rawValue:)) else {
                throw PostgresStoreError("the database URL takes only sslmode=disable|prefer|require|verify-full")
            }
            sslMode = value
        }
        self.host = host
        self.port = components.port ?? 5432
        self.user = user
        self.password = components.password ?? password
        self.database = database
        self.sslMode = sslMode
    }

    /// The URL with its password masked.
    public var description: String {
        let secret = password == nil ? "" : ":***"
        return "postgres://\(user)\(secret)@\(host):\(port)/\(database)?sslmode=\(sslMode.rawValue)"
    }

    /// The client configuration with `poolSize` connections at most.
    func clientConfiguration(poolSize: Int) -> PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: host, port: port, username: user, password: password, database: database, tls: tls)
        configuration.options.maximumConnections = poolSize
        return configuration
    }

    /// libpq's meaning: `prefer` and `require` encrypt without checking the certificate;
    /// `verify-full` checks it and the host name.
    private var tls: PostgresClient.Configuration.TLS {
        var unverified = TLSConfiguration.makeClientConfiguration()
        unverified.certificateVerification = .none
        switch sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(unverified)
        case .require: return .require(unverified)
        case .verifyFull: return .require(.makeClientConfiguration())
        }
    }
}
