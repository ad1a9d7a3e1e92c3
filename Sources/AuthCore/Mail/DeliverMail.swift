/// One pass of the delivery worker: claims the mails due, hands each to the transport, and
/// records the outcome. A refused or unreachable server is retried with growing delays
/// until `AUTH_MAIL_RETRY_FOR` has passed since the mail was queued; a permanent refusal
/// (SMTP 5xx) fails the mail at once. A mail the transport accepted is never handed over again.
public struct DeliverMail: Sendable {
    let outbox: any OutboxStore
    let transport: any MailTransport
    let keys: KeyRing
    let settings: AuthSettings
    let clock: WallClock
    let metrics: AuthMetrics

    public init(
        outbox: any OutboxStore, transport: any MailTransport, keys: KeyRing, settings: AuthSettings, clock: WallClock,
        metrics: AuthMetrics
    ) {
        self.outbox = outbox
        self.transport = transport
        self.keys = keys
        self.settings = settings
        self.clock = clock
        self.metrics = metrics
    }

    /// Mails claimed per pass.
    static let batch = 8
    /// How long claimed mails stay with their worker: longer than a batch of attempts can take
    /// (each is bounded by the transport's timeout).
    static let lease: Int64 = 600

    /// Delivers the mails due now, one after another while `keepGoing()` holds (the rest are
    /// released at once); returns what became of each mail it claimed (none: nothing was due).
    @discardableResult
    public func callAsFunction(while keepGoing: () -> Bool = { true }) async throws -> [(mail: OutgoingMail, outcome: DeliveryOutcome)] {
        let now = clock.seconds
        let due = try await outbox.claimDueMail(now: now, leaseUntil: now + Self.lease, limit: Self.batch)
        var outcomes: [(mail: OutgoingMail, outcome: DeliveryOutcome)] = []
        for mail in due {
            let outcome = keepGoing() ? try await attempt(mail) : .released
            try await outbox.recordDelivery(id: mail.id, outcome, now: clock.seconds)
            outcomes.append((mail, outcome))
        }
        try await publishBacklog()
        return outcomes
    }

    /// Publishes the queue's length and the age of its oldest mail.
    public func publishBacklog() async throws {
        let backlog = try await outbox.outboxBacklog()
        metrics.mailBacklog(pending: backlog.pending, oldestAge: backlog.oldestCreatedAt.map { clock.seconds - $0 } ?? 0)
    }

    private func attempt(_ mail: OutgoingMail) async throws -> DeliveryOutcome {
        guard let message = try? keys.open(mail.sealedMessage) else {
            metrics.mail("failed", purpose: mail.purpose)
            return .failed(error: "the queued message cannot be opened with this key file")
        }
        let failure: MailDeliveryError
        do {
            try await transport.deliver(message, to: mail.recipient, mailID: mail.id)
            metrics.mail("sent", purpose: mail.purpose)
            return .sent
        } catch let error as MailDeliveryError {
            failure = error
        } catch {
            failure = MailDeliveryError(permanent: false, "delivery failed: \(error)")
        }
        // Rounded up: a retry time in whole seconds never comes before the delay has passed.
        let retryAt = Int64((clock.date().timeIntervalSince1970 + Double(MailRetry.delay(afterAttempts: mail.attempts + 1))).rounded(.up))
        if failure.permanent || retryAt > mail.queuedAt + settings.mailRetryFor {
            metrics.mail("failed", purpose: mail.purpose)
            return .failed(error: failure.message)
        }
        return .retry(at: retryAt, error: failure.message)
    }
}

/// The delays between attempts: 2 s after the first, doubling to at most 10 minutes, with
/// ±20 % jitter so that many mails queued together don't retry together.
enum MailRetry {
    static let first: Int64 = 2
    static let longest: Int64 = 600

    static func delay(afterAttempts attempts: Int, jitter: Double = Double.random(in: 0.8...1.2)) -> Int64 {
        let base = attempts >= 10 ? longest : min(longest, first << (attempts - 1))
        return max(1, Int64((Double(base) * jitter).rounded()))
    }
}
