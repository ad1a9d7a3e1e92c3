import ArgumentParser
import AuthCore
import AuthCrypto
import Foundation
import Logging
import PostgresStore
import PostgresSupport

/// The options every command shares: which database, which key file, which output.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "The token service's SQLite file or postgres:// URL (default: AUTH_DATABASE, else auth.sqlite).")
    var database: String?

    @Option(help: "The key-encryption key file (default: AUTH_KEY_FILE, else auth.key next to a SQLite database).")
    var keyFile: String?

    @Flag(help: "Print JSON for scripts instead of text.")
    var json = false

    var databasePath: String {
        database ?? ProcessInfo.processInfo.environment["AUTH_DATABASE"] ?? "auth.sqlite"
    }

    var keyFilePath: String {
        keyFile ?? ProcessInfo.processInfo.environment["AUTH_KEY_FILE"]
            ?? URL(fileURLWithPath: databasePath).deletingLastPathComponent().appendingPathComponent("auth.key").path
    }

    /// Whether the database is PostgreSQL's rather than a SQLite file.
    var isPostgres: Bool { PostgresDatabaseURL.isPostgresURL(databasePath) }

    /// The PostgreSQL database: with `migrating` (`init`, `migrate`), its schema brought up to
    /// date, one node at a time; otherwise 66 without a schema, 1 with another version than
    /// this program's. The password may come from AUTH_DATABASE_PASSWORD_FILE and never shows.
    func openPostgres(migrating: Bool = false) async throws -> PostgresAuthStore {
        let store: PostgresAuthStore
        do {
            let password = try ProcessInfo.processInfo.environment["AUTH_DATABASE_PASSWORD_FILE"].map {
                try Self.password(from: $0, named: "AUTH_DATABASE_PASSWORD_FILE")
            }
            store = try await PostgresAuthStore.open(
                url: databasePath, password: password, poolSize: 2, migrate: migrating, logger: Self.quietLogger)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError.failure("\(error)")
        }
        if migrating { return store }
        let version = try await store.schemaVersion(), current = PostgresAuthStore.currentSchemaVersion
        let database = (try? PostgresDatabaseURL(databasePath).description) ?? "the database"
        guard version != 0 else { throw CLIError.noInput("no token-service schema in \(database); run `authctl init`") }
        guard version == current else {
            throw CLIError.failure(
                version < current
                    ? "\(database) has schema version \(version), this program \(current); run `authctl migrate` first"
                    : "\(database) was written by a newer version (schema \(version)); upgrade authctl")
        }
        return store
    }

    /// The driver's own log lines (every retried connection) stay out of a command's output:
    /// a failure is the command's one line.
    static var quietLogger: Logger {
        var logger = Logger(label: "auth.postgres")
        logger.logLevel = .critical
        return logger
    }

    /// The password in the file at `path` (`name` is how the user gave it); 66 when it can't be read.
    static func password(from path: String, named name: String) throws -> String {
        guard let password = PostgresDatabaseURL.password(fromFile: path) else {
            throw CLIError.noInput("cannot read \(name) \(path)")
        }
        return password
    }

    /// A PostgreSQL database has no place for a default key file: 64 unless one is named.
    func checkKeyFileNamed() throws {
        if isPostgres, keyFile == nil, ProcessInfo.processInfo.environment["AUTH_KEY_FILE"] == nil {
            throw CLIError.usage("a PostgreSQL database needs --key-file or AUTH_KEY_FILE (the nodes' key file)")
        }
    }

    /// The existing database; 66 when there is none.
    func openStore() async throws -> any AuthStore {
        if isPostgres { return try await openPostgres() }
        return try openSQLite()
    }

    /// The existing SQLite file; 66 when there is none.
    func openSQLite() throws -> SQLiteAuthStore {
        guard FileManager.default.fileExists(atPath: databasePath) else {
            throw CLIError.noInput("no database at \(databasePath); run `authctl init` or pass --database")
        }
        do {
            return try AuthDatabase.open(path: databasePath, migrate: false).store
        } catch let error as AuthDatabase.OpenError {
            throw CLIError.failure(error.description)
        }
    }

    /// The key-encryption key; 66 when the file is missing, 64 when none is named for PostgreSQL.
    func loadKey() throws -> SecretBytes {
        try checkKeyFileNamed()
        guard FileManager.default.fileExists(atPath: keyFilePath) else {
            throw CLIError.noInput("no key file at \(keyFilePath); pass --key-file")
        }
        do {
            return try KeyFile.load(path: keyFilePath)
        } catch let error as KeyFile.KeyFileError {
            throw CLIError.failure(error.description)
        }
    }
}

/// Writing results: JSON (sorted keys, snake_case) or aligned text columns.
enum Output {
    static func json(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try! encoder.encode(value), as: UTF8.self))
    }

    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            print(zip(row, widths).map { $0.padding(toLength: $1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces))
        }
    }

    /// A status line on a terminal's stderr, overwritten by the next one ("" clears it).
    static func progress(_ status: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + status).utf8))
    }

    /// A message for the operator, on stderr.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}
