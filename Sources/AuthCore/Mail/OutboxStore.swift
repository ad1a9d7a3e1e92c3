/// A mail as queued: the message sealed with the key-encryption key (it holds a live link).
public struct OutgoingMail: Sendable, Equatable {
    public var id: String
    public var accountID: String?
    public var recipient: String
    public var purpose: MailPurpose
    public var sealedMessage: [UInt8]
    public var createdAt: Int64
    /// When its retry window began: at creation, or when an admin put it back in the queue.
    public var queuedAt: Int64
    /// Delivery attempts made so far.
    public var attempts: Int

    public init(
        id: String, accountID: String?, recipient: String, purpose: MailPurpose, sealedMessage: [UInt8], createdAt: Int64,
        queuedAt: Int64? = nil, attempts: Int = 0
    ) {
        self.id = id
        self.accountID = accountID
        self.recipient = recipient
        self.purpose = purpose
        self.sealedMessage = sealedMessage
        self.createdAt = createdAt
        self.queuedAt = queuedAt ?? createdAt
        self.attempts = attempts
    }
}

/// Where a mail stands.
public enum MailStatus: String, Sendable, CaseIterable {
    case pending, sent, failed
}

/// What an admin sees of a queued mail: never its message (which holds a token).
public struct MailSummary: Sendable, Equatable {
    public var id: String
    public var to: String
    public var purpose: MailPurpose
    public var status: MailStatus
    public var attempts: Int
    public var createdAt: Int64
    public var lastError: String

    /// Public so that stores outside AuthCore (PostgreSQL) can build one.
    public init(
        id: String, to: String, purpose: MailPurpose, status: MailStatus, attempts: Int, createdAt: Int64, lastError: String
    ) {
        self.id = id
        self.to = to
        self.purpose = purpose
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.lastError = lastError
    }
}

/// How one delivery attempt ended.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Accepted by the mail system; the stored message is dropped.
    case sent
    /// Not delivered; due again at `at`.
    case retry(at: Int64, error: String)
    case failed(error: String)
    /// Not attempted (the worker is stopping): due again at once, no attempt counted.
    case released
}

/// The mail queue (the outbox). Mails enter it in the commit of their token
/// (`EmailTokenStore.issue`); workers on any number of nodes claim and deliver them.
public protocol OutboxStore: Sendable {
    /// Claims up to `limit` pending mails due by `now`, oldest first, by making them due again
    /// only at `leaseUntil`: no other worker takes them meanwhile, and a worker that dies
    /// leaves them to be retried after the lease.
    func claimDueMail(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [OutgoingMail]
    /// Records an attempt's outcome (and counts the attempt) on a pending mail.
    func recordDelivery(id: String, _ outcome: DeliveryOutcome, now: Int64) async throws
    /// Mails newest first, of one status or all.
    func mailSummaries(status: MailStatus?, limit: Int) async throws -> [MailSummary]
    /// Puts a failed mail back in the queue, due at `now`, its retry window starting again; false when no failed mail has this id.
    func requeueFailedMail(id: String, now: Int64) async throws -> Bool
    /// How many mails are pending, and when the longest waiting of them was queued.
    func outboxBacklog() async throws -> (pending: Int, oldestCreatedAt: Int64?)
    /// Deletes up to `limit` sent or failed mails finished before `finishedBefore`; returns how many.
    func purgeMail(finishedBefore: Int64, limit: Int) async throws -> Int
}
