import ArgumentParser
import AuthCore
import Foundation

struct Sessions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List and revoke sessions.", subcommands: [List.self, Revoke.self])

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "An account's open sessions, newest first.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The account's email or id.") var account: String

        func execute() async throws {
            let (store, found) = try await options.openAccount(account)
            let sessions = try await store.openSessions(accountID: found.id).map { SessionSummary($0, endsAt: $0.expiresAt) }
            if options.json { return Output.json(sessions) }
            Output.table(
                ["ID", "CREATED", "LAST USED", "IP", "USER AGENT"],
                sessions.map { [$0.id, $0.createdAt, $0.lastUsedAt, $0.ip, $0.userAgent] })
        }
    }

    struct Revoke: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "End one session, or every session of an account.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The session id.") var session: String?
        @Option(help: "End every session of this account (email or id).") var account: String?

        func validate() throws {
            guard (session == nil) != (account == nil) else {
                throw ValidationError("give either a session id or --account ACCOUNT")
            }
        }

        func execute() async throws {
            let store = try options.openStore()
            let now = Date().unixSeconds
            if let account {
                let found = try await options.account(account, in: store)
                let count = try await store.endSessions(accountID: found.id, except: nil, reason: .revoked, now: now)
                try await options.audit(.sessionRevoked, in: store, accountID: found.id, email: found.email, detail: "\(count) sessions")
                return Output.note("ended \(count) sessions of \(found.email)")
            }
            guard let id = session?.lowercased(), let found = try await store.session(id: id),
                try await store.endSession(id: id, accountID: found.accountID, reason: .revoked, now: now)
            else { throw CLIError.badData("no open session \(session ?? "")") }
            try await options.audit(.sessionRevoked, in: store, accountID: found.accountID, detail: "session \(id)")
            Output.note("ended session \(id)")
        }
    }
}
