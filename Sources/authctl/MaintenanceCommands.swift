import ArgumentParser
import AuthCore
import Foundation

struct Backup: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a consistent copy of the live database (SQLite online backup), also while the server runs.",
        discussion: "Back the key file up separately: the copy's signing keys open only with it.")
    @OptionGroup var options: DatabaseOptions
    @Argument(help: "Where to write the copy.") var file: String

    func execute() async throws {
        guard !options.isPostgres else {
            throw CLIError.usage("backup copies a SQLite database; back PostgreSQL up with pg_dump")
        }
        let store = try options.openSQLite()
        do {
            try store.backup(to: file)
        } catch {
            throw CLIError.failure("cannot back up to \(file): \(error)")
        }
        Output.note("backed up \(options.databasePath) to \(file) (mode 0600); keep \(options.keyFilePath) with it")
    }
}

struct Calibrate: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Find argon2id parameters that take a target time on this machine.",
        discussion: """
            Keeps the memory (RFC 9106 and OWASP favour memory over passes) and raises the passes until one
            hash takes the target time. Logins cost this much CPU each: size AUTH_HASH_CONCURRENCY with it.
            """)
    @OptionGroup var options: DatabaseOptions
    @Option(help: "Target time of one hash, milliseconds.") var targetMs: Int = 250
    @Option(help: "Memory, KiB.") var memoryKib: UInt32 = 65_536
    @Option(help: "Lanes.") var parallelism: UInt32 = 1

    func validate() throws {
        guard (10...10_000).contains(targetMs) else { throw ValidationError("--target-ms must be from 10 to 10000") }
        guard Argon2Parameters(memoryKiB: memoryKib, iterations: 1, parallelism: parallelism).isValid else {
            throw ValidationError("--memory-kib must be at least 8 × --parallelism and at most 4194304")
        }
    }

    func execute() async throws {
        var chosen = Argon2Parameters(memoryKiB: memoryKib, iterations: 1, parallelism: parallelism)
        var milliseconds = try Self.measure(chosen)
        while milliseconds < Double(targetMs) && chosen.iterations < 100 {
            let next = Argon2Parameters(memoryKiB: memoryKib, iterations: chosen.iterations + 1, parallelism: parallelism)
            guard next.isValid else { break }  // past the work the server accepts
            let time = try Self.measure(next)
            if time > Double(targetMs) * 1.25 { break }
            (chosen, milliseconds) = (next, time)
        }
        if options.json {
            struct Result: Encodable { var memoryKib: UInt32; var iterations: UInt32; var parallelism: UInt32; var milliseconds: Int }
            return Output.json(Result(
                memoryKib: chosen.memoryKiB, iterations: chosen.iterations, parallelism: chosen.parallelism,
                milliseconds: Int(milliseconds)))
        }
        print("AUTH_ARGON2_MEMORY_KIB=\(chosen.memoryKiB) AUTH_ARGON2_ITERATIONS=\(chosen.iterations) AUTH_ARGON2_PARALLELISM=\(chosen.parallelism)")
        Output.note("one hash takes \(Int(milliseconds)) ms here (median of 3)")
    }

    /// The median time of three hashes, in milliseconds.
    static func measure(_ parameters: Argon2Parameters) throws -> Double {
        let hasher = try PasswordHasher(parameters: parameters)
        let password = Password("calibration password")
        let clock = ContinuousClock()
        let times = try (0..<3).map { _ in
            let duration = try clock.measure { _ = try hasher.hash(password) }
            return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        }
        return times.sorted()[1]
    }
}
