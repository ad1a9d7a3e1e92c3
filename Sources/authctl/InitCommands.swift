import ArgumentParser
import AuthCore
import Foundation

struct Init: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create the database from schema.sql, the key-encryption key and the first signing key.")

    @OptionGroup var options: DatabaseOptions

    func execute() async throws {
        let store: any AuthStore
        var created = false
        if options.isPostgres {
            try options.checkKeyFileNamed()
            store = try await options.openPostgres(migrating: true)
        } else {
            (store, created) = try AuthDatabase.open(path: options.databasePath, migrate: false)
        }
        let keyFile = try KeyFile.loadOrCreate(path: options.keyFilePath)
        let keyAdded = try await KeyRing(keyEncryptionKey: keyFile.key).ensureCurrentKey(in: store, now: Date().unixSeconds)
        Output.note(created ? "created database \(options.databasePath)" : "database \(options.isPostgres ? "schema" : options.databasePath) is ready")
        Output.note(keyFile.created ? "created key file \(options.keyFilePath) (mode 0600): back it up" : "key file \(options.keyFilePath) exists")
        if keyAdded { Output.note("created the first signing key") }
    }
}

struct Migrate: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bring an older database up to the current schema (refuses a newer one).")

    @OptionGroup var options: DatabaseOptions

    func execute() async throws {
        if options.isPostgres {
            _ = try await options.openPostgres(migrating: true)
            return Output.note("the PostgreSQL database is at the current schema")
        }
        guard FileManager.default.fileExists(atPath: options.databasePath) else {
            throw CLIError.noInput("no database at \(options.databasePath)")
        }
        do {
            _ = try AuthDatabase.open(path: options.databasePath, migrate: true)
        } catch let error as AuthDatabase.OpenError {
            throw CLIError.failure(error.description)
        }
        Output.note("database \(options.databasePath) is at the current schema")
    }
}
