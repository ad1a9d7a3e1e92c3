/// `authctl mail list`: the queue, newest first, without any message.
public struct ListMail: Sendable {
    let outbox: any OutboxStore

    public func callAsFunction(status: MailStatus? = nil, limit: Int = 1_000) async throws -> [MailSummary] {
        try await outbox.mailSummaries(status: status, limit: limit)
    }
}
