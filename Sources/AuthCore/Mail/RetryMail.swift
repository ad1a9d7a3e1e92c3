/// `authctl mail retry ID`: a failed mail goes back to the queue, due now (audited).
public struct RetryMail: Sendable {
    let outbox: any OutboxStore
    let audit: AuditLog
    let clock: WallClock
    let actor: ClientInfo

    public func callAsFunction(id: String) async throws {
        guard try await outbox.requeueFailedMail(id: id.lowercased(), now: clock.seconds) else {
            throw AuthError(.notFound, "No failed mail has this id.")
        }
        try await audit.record(.mailRequeued, client: actor, detail: "mail \(id.lowercased())")
    }
}
