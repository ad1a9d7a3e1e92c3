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
            let (admin, found) = try await options.administration(for: account)
            let sessions = try await admin.listSessions(accountID: found.id).map {
                SessionSummary($0, endsAt: admin.listSessions.endsAt($0))
            }
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
            if let account {
                let (admin, found) = try await options.administration(for: account)
                let count = try await admin.revokeSessions(of: found)
                return Output.note("ended \(count) sessions of \(found.email)")
            }
            let admin = try await options.administration().admin
            try await admin.revokeSessions(id: session ?? "")
            Output.note("ended session \(session?.lowercased() ?? "")")
        }
    }
}
