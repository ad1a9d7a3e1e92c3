import ArgumentParser
import AuthCore
import Foundation
import WireFormat

struct Audit: AdminCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read the security event log, newest first.",
        discussion: "Events: \(AuditEvent.Kind.allCases.map(\.rawValue).joined(separator: ", ")).")
    @OptionGroup var options: DatabaseOptions
    @Option(help: "Only this account's events (email or id).") var account: String?
    @Option(help: "Only this kind of event.") var event: String?
    @Option(help: "Only events at or after this RFC 3339 time.") var since: String?
    @Option(help: "At most this many events.") var limit: Int = 100

    struct EventBody: Encodable {
        var id: Int64
        var at: String
        var event: String
        var accountId: String?
        var email: String
        var ip: String
        var userAgent: String
        var detail: String
    }

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be from 1 to 100000") }
        if let event, AuditEvent.Kind(rawValue: event) == nil {
            throw ValidationError("unknown --event \(event); see `authctl audit --help`")
        }
        if let since, Timestamp.parse(since) == nil { throw ValidationError("--since must be an RFC 3339 time") }
    }

    func execute() async throws {
        let (store, admin) = try await options.administration()
        var filter = AuditFilter(kind: event.flatMap(AuditEvent.Kind.init), since: since.flatMap { Timestamp.parse($0) }, limit: limit)
        if let account {
            // A deleted account is still named by its id in the log.
            filter.accountID = (try? await admin.findAccount(account))?.id ?? account.lowercased()
        }
        let events = try await store.auditEvents(filter).map {
            EventBody(
                id: $0.id, at: Timestamp.rfc3339($0.at), event: $0.kind.rawValue, accountId: $0.accountID, email: $0.email,
                ip: $0.ip, userAgent: $0.userAgent, detail: $0.detail)
        }
        if options.json { return Output.json(events) }
        Output.table(
            ["AT", "EVENT", "ACCOUNT", "EMAIL", "IP", "DETAIL"],
            events.map { [$0.at, $0.event, $0.accountId ?? "-", $0.email, $0.ip, $0.detail] })
    }
}
