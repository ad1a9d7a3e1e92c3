import ArgumentParser
import AuthCore
import Foundation
import WireFormat

struct Mail: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The mail queue: list it, retry a failed mail.", subcommands: [List.self, Retry.self])

    /// A queued mail as `mail list --json` shows it: never its message or token.
    struct Entry: Encodable {
        var id, to, purpose, status: String
        var attempts: Int
        var createdAt: String
        var lastError: String

        init(_ mail: MailSummary) {
            id = mail.id
            to = mail.to
            purpose = mail.purpose.rawValue
            status = mail.status.rawValue
            attempts = mail.attempts
            createdAt = Timestamp.rfc3339(mail.createdAt)
            lastError = mail.lastError
        }
    }

    struct List: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Queued, sent and failed mail, newest first.")
        @OptionGroup var options: DatabaseOptions
        @Flag(help: "Only mail waiting for delivery.") var pending = false
        @Flag(help: "Only mail that could not be delivered.") var failed = false

        func validate() throws {
            if pending && failed { throw ValidationError("give --pending or --failed, not both") }
        }

        func execute() async throws {
            let status: MailStatus? = pending ? .pending : failed ? .failed : nil
            let mails = try await options.administration().admin.listMail(status: status).map(Entry.init)
            if options.json { return Output.json(mails) }
            Output.table(
                ["ID", "TO", "PURPOSE", "STATUS", "ATTEMPTS", "CREATED", "LAST ERROR"],
                mails.map { [$0.id, $0.to, $0.purpose, $0.status, "\($0.attempts)", $0.createdAt, $0.lastError] })
        }
    }

    struct Retry: AdminCommand {
        static let configuration = CommandConfiguration(abstract: "Put a failed mail back in the queue, due now.")
        @OptionGroup var options: DatabaseOptions
        @Argument(help: "The mail's id (from `authctl mail list --failed`).") var id: String

        func execute() async throws {
            try await options.administration().admin.retryMail(id: id)
            Output.note("mail \(id.lowercased()) is queued again")
        }
    }
}
