import ArgumentParser
import AuthCore
import Foundation

struct Export: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every account with its password hash, as JSON Lines or CSV.",
        discussion: """
            Fields, in this order in CSV: id, email, status, created_at, password_hash. Hashes are standard
            strings (PHC for argon2), so another system can verify them. The export is one consistent snapshot,
            also while the server runs. The output file is created with mode 0600: it holds password hashes.
            """)
    @OptionGroup var options: DatabaseOptions
    @Option(help: "jsonl or csv.") var format: String = "jsonl"
    @Option(help: "Write to this file instead of stdout.") var output: String?

    func execute() async throws {
        guard let format = ExportFormat(rawValue: format) else { throw CLIError.usage("--format must be jsonl or csv") }
        let admin = try await options.administration().admin
        let sink = try ExportSink(path: output)
        let exported: Int
        do {
            exported = try await admin.exportAccounts(format: format, write: sink.write)
            try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
        Output.note("exported \(exported) accounts")
    }
}

/// Buffered line output to stdout or, atomically and with mode 0600, to a file.
final class ExportSink: @unchecked Sendable {
    private let handle: FileHandle
    private let path: String?
    private let temporary: String?
    private var buffer: [UInt8] = []

    init(path: String?) throws {
        self.path = path
        guard let path else {
            try Self.checkStandardOutput()
            handle = .standardOutput
            temporary = nil
            return
        }
        let temporary = path + ".partial"
        unlink(temporary)  // a leftover (or planted) file must not lend its mode or target
        let descriptor = open(temporary, O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY, 0o600)
        guard descriptor >= 0 else { throw CLIError.failure("cannot write \(path): \(String(cString: strerror(errno)))") }
        fchmod(descriptor, 0o600)  // whatever the umask
        handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        self.temporary = temporary
    }

    /// Password hashes go to a pipe or a private file, never to a terminal (scrollback, screen
    /// sharing) nor a file others can read: refused with 64; a file the group can read is warned about.
    static func checkStandardOutput() throws {
        if isatty(STDOUT_FILENO) == 1 {
            throw CLIError.usage("refusing to print password hashes to a terminal; use --output FILE or a pipe")
        }
        var status = stat()
        guard fstat(STDOUT_FILENO, &status) == 0, status.st_mode & S_IFMT == S_IFREG else { return }
        if status.st_mode & S_IROTH != 0 {
            throw CLIError.usage(
                "refusing to write password hashes to a file everyone can read; use --output FILE (created 0600) or chmod 600 it first")
        }
        if status.st_mode & S_IRGRP != 0 {
            FileHandle.standardError.write(Data("authctl: warning: the output file is readable by its group\n".utf8))
        }
    }

    func write(_ line: String) {
        buffer += line.utf8
        buffer.append(UInt8(ascii: "\n"))
        if buffer.count >= 1 << 16 { flush() }
    }

    private func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Removes the unfinished file after a failure.
    func abandon() {
        if let temporary { unlink(temporary) }
    }

    /// Flushes, and moves a file into place only now that it is complete.
    func finish() throws {
        flush()
        guard let temporary, let path else { return }
        try handle.synchronize()
        guard rename(temporary, path) == 0 else { throw CLIError.failure("cannot write \(path)") }
    }
}

struct Import: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add accounts with their password hashes from an export; all or nothing.",
        discussion: """
            Every record is checked before anything is written; each bad one is named on stderr as
            `line N: reason`, and then nothing is written. Accounts keep the id, status and created_at the
            file gives them, so tokens' `sub` and other services' data survive the move.
            """)
    @OptionGroup var options: DatabaseOptions
    @Argument(help: "The file to read, or - for stdin.") var file: String
    @Option(help: "The file's format: jsonl, csv, auth0, supabase, keycloak, kratos, rodauth or django (detected when not given).")
    var format: String?
    @Flag(help: "Check everything and report what would happen, writing nothing.") var dryRun = false
    @Option(help: "When an account exists: fail, skip or update.") var onConflict: String = "fail"

    static let maximumReported = 50

    func execute() async throws {
        guard let policy = ImportConflictPolicy(rawValue: onConflict) else {
            throw CLIError.usage("--on-conflict must be fail, skip or update")
        }
        let admin = try await options.administration().admin
        let text = try readInput()
        let format: ImportFormat
        if let name = self.format {
            guard let named = ImportFormat(rawValue: name) else {
                throw CLIError.usage("--format must be one of \(ImportFormat.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            format = named
        } else {
            guard let detected = ImportFormat.detect(text) else {
                throw CLIError.badData("cannot tell the file's format; name it with --format")
            }
            format = detected
        }
        let now = Date().unixSeconds
        var problems: [String] = []
        var passwordless: [String: Int] = [:]
        var candidates: [ImportCandidate] = []
        let rows = format.read(text, now: now)
        var firstLineOf: [String: Int] = [:]
        firstLineOf.reserveCapacity(2 * rows.count)
        candidates.reserveCapacity(rows.count)
        for (line, result) in rows {
            switch result {
            case .failure(let error) where error.isPasswordless: passwordless[error.description, default: 0] += 1
            case .failure(let error): problems.append("line \(line): \(error)")
            case .success(let record):
                if let first = firstLineOf[record.email] ?? firstLineOf[record.id] {
                    problems.append("line \(line): the same email or id as line \(first)")
                    continue
                }
                firstLineOf[record.email] = line
                firstLineOf[record.id] = line
                candidates.append(ImportCandidate(line: line, record: record))
            }
        }
        try report(problems)
        let showProgress = isatty(STDERR_FILENO) == 1
        if showProgress { Output.note("checked \(candidates.count) records; writing…") }
        let total = candidates.count
        var onProgress: (@Sendable (Int) -> Void)?
        if showProgress {
            onProgress = { @Sendable done in Output.progress("\(done)/\(total) records") }
        }
        let result = try await admin.importAccounts(
            candidates, policy: policy, dryRun: dryRun, format: format.rawValue, progress: onProgress)
        if showProgress { Output.progress("") }
        try report(result.conflicts)
        summarize(result, candidates: candidates, format: format, passwordless: passwordless)
    }

    private func readInput() throws -> String {
        let data: Data?
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            data = FileManager.default.contents(atPath: file)
        }
        guard let data else { throw CLIError.noInput("cannot read \(file)") }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError.badData("\(file) is not UTF-8 text") }
        return text
    }

    /// Names each bad record on stderr and fails with 65; nothing has been written.
    private func report(_ problems: [String]) throws {
        guard !problems.isEmpty else { return }
        for problem in problems.prefix(Self.maximumReported) { Output.note(problem) }
        if problems.count > Self.maximumReported { Output.note("… and \(problems.count - Self.maximumReported) more") }
        throw CLIError.badData("\(problems.count) bad records; nothing was imported")
    }

    /// How the summary names accounts that come without a hash.
    static let awaiting = "awaiting migration (no hash)"

    private func summarize(
        _ result: ImportResult, candidates: [ImportCandidate], format: ImportFormat, passwordless: [String: Int]
    ) {
        var byScheme: [String: Int] = [:]
        for profile in candidates.concurrentMap({ $0.record.passwordHash.map(PasswordHashScheme.profile(of:)) ?? Self.awaiting }) {
            byScheme[profile, default: 0] += 1
        }
        if options.json {
            struct Summary: Encodable {
                var format: String, dryRun: Bool, created: Int, updated: Int, skipped: Int, hashes: [String: Int]
                var passwordless: [String: Int]
            }
            return Output.json(
                Summary(
                    format: format.rawValue, dryRun: dryRun, created: result.created, updated: result.updated,
                    skipped: result.skipped, hashes: byScheme, passwordless: passwordless))
        }
        let verb = dryRun ? "would import" : "imported"
        Output.note(
            "\(verb) \(candidates.count) records (\(format.rawValue)): \(result.created) created, \(result.updated) updated, \(result.skipped) skipped")
        for (scheme, count) in byScheme.sorted(by: { $0.key < $1.key }) { Output.note("  \(scheme): \(count)") }
        for (reason, count) in passwordless.sorted(by: { $0.key < $1.key }) {
            Output.note("left out \(count) users without a password to move: \(reason)")
        }
    }
}

struct Hashes: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Count stored hashes by algorithm and cost, those due for an upgrade at next login, and accounts awaiting migration.")
    @OptionGroup var options: DatabaseOptions

    func execute() async throws {
        let report = try await HashCensus(accounts: try await options.openStore(), cost: try options.argon2Cost())()
        if options.json { return Output.json(report) }
        Output.table(["HASH", "ACCOUNTS"], report.profiles.sorted { $0.key < $1.key }.map { [$0.key, String($0.value)] })
        print("\(report.dueForUpgrade) due for an upgrade to \(report.target) at their next login")
        print("\(report.awaitingMigration) awaiting migration (no hash here yet: checked against their source at first login, or reset by email)")
    }
}
