import ArgumentParser
import AuthCore
import Foundation
import PostgresStore
import PostgresSupport

struct Copy: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the whole database into an empty SQLite file or PostgreSQL database, all or nothing.",
        discussion: """
            Every table is copied as it is: accounts with their hashes, sessions and refresh tokens, signing keys,
            audit, mail queue, MFA. Start the nodes on the target with the same key file and every session goes on.
            Stop the nodes first. TARGET is a SQLite path that doesn't exist yet or a postgres:// URL of an empty
            database; give its password with --to-password-file (or AUTH_COPY_TARGET_PASSWORD_FILE), not in the URL.
            """)

    @OptionGroup var options: DatabaseOptions
    @Option(name: .customLong("to"), help: "The empty target: a SQLite path or a postgres:// URL.")
    var target: String
    @Option(help: "A file holding the target PostgreSQL database's password (default: AUTH_COPY_TARGET_PASSWORD_FILE).")
    var toPasswordFile: String?

    var targetIsPostgres: Bool { PostgresDatabaseURL.isPostgresURL(target) }

    func execute() async throws {
        if targetIsPostgres, options.keyFile == nil, ProcessInfo.processInfo.environment["AUTH_KEY_FILE"] == nil {
            throw CLIError.usage("a PostgreSQL target needs --key-file or AUTH_KEY_FILE (the key file the nodes will use)")
        }
        let targetURL = try postgresTarget()
        let keys = KeyRing(keyEncryptionKey: try options.loadKey())
        let source: any CopySource
        if options.isPostgres { source = try await options.openPostgres() } else { source = try options.openSQLite() }
        let counts = try await copy(from: source, keys: keys, to: targetURL)
        if options.json {
            Output.json(Dictionary(uniqueKeysWithValues: counts.map { ($0.table, $0.rows) }))
        } else {
            Output.table(["TABLE", "ROWS"], counts.map { [$0.table, String($0.rows)] })
        }
        Output.note("copied into \(targetURL.map(\.description) ?? target): start the nodes on it with the key file \(options.keyFilePath)")
    }

    /// Copies, with a progress line on a terminal; a refusal is bad data (65).
    func copy(from source: any CopySource, keys: KeyRing, to targetURL: PostgresDatabaseURL?) async throws
        -> [CopyDatabase.Count]
    {
        let openTarget: () async throws -> any CopyTarget = {
            if let targetURL { return try await PostgresAuthStore.openCopyTarget(targetURL, logger: DatabaseOptions.quietLogger) }
            return try SQLiteCopyTarget.open(path: target)
        }
        var progress: (@Sendable (String, Int) -> Void)?
        if isatty(STDERR_FILENO) == 1 { progress = { @Sendable table, rows in Output.progress("\(table): \(rows) rows") } }
        defer { if progress != nil { Output.progress("") } }
        do {
            return try await CopyDatabase(source: source, keys: keys, progress: progress)(to: openTarget)
        } catch let refusal as CopyRefusal {
            throw CLIError.badData(refusal.description)
        } catch let error as AuthDatabase.OpenError {
            throw CLIError.failure(error.description)
        }
    }

    /// The target's URL with its password, or nil for a SQLite path; 64 when it doesn't parse.
    func postgresTarget() throws -> PostgresDatabaseURL? {
        guard targetIsPostgres else { return nil }
        let passwordFile = toPasswordFile ?? ProcessInfo.processInfo.environment["AUTH_COPY_TARGET_PASSWORD_FILE"]
        let password = try passwordFile.map {
            try DatabaseOptions.password(from: $0, named: toPasswordFile == nil ? "AUTH_COPY_TARGET_PASSWORD_FILE" : "--to-password-file")
        }
        do {
            return try PostgresDatabaseURL(target, password: password)
        } catch {
            throw CLIError.usage("--to: \(error)")
        }
    }
}
