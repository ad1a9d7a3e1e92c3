/// How many records one retention purge removed.
public struct RetentionReport: Sendable, Equatable {
    public var sessions = 0
    public var usedRefreshTokens = 0
    public var auditEvents = 0
    public var emailTokens = 0
    public var mails = 0
    public var mfaChallenges = 0

    public init() {}
}

/// Deletes what the retention settings say is no longer needed: sessions (with their refresh
/// tokens) ended or expired more than `retentionDays` ago, refresh tokens used that long ago,
/// audit events older than `auditRetentionDays`, expired mailed tokens, and mails sent or
/// failed more than `retentionDays` ago. In small batches, so the write lock is
/// never held for long; the server runs it now and then.
public struct PurgeExpired: Sendable {
    let sessions: any SessionStore
    let audit: any AuditStore
    let emailTokens: any EmailTokenStore
    let outbox: any OutboxStore
    let mfa: any MFAStore
    let settings: AuthSettings
    let clock: WallClock

    /// Rows deleted per transaction.
    static let batch = 500

    @discardableResult
    public func callAsFunction() async throws -> RetentionReport {
        let now = clock.seconds, batch = Self.batch
        let cutoff = now - settings.retentionDays * 86_400
        var report = RetentionReport()
        report.sessions = try await inBatches { try await sessions.purgeSessions(endedBefore: cutoff, limit: batch) }
        report.usedRefreshTokens = try await inBatches {
            try await sessions.purgeUsedRefreshTokens(usedBefore: cutoff, limit: batch)
        }
        report.auditEvents = try await inBatches {
            try await audit.purgeAudit(before: now - settings.auditRetentionDays * 86_400, limit: batch)
        }
        report.emailTokens = try await inBatches { try await emailTokens.purgeEmailTokens(expiredBefore: now, limit: batch) }
        report.mails = try await inBatches { try await outbox.purgeMail(finishedBefore: cutoff, limit: batch) }
        report.mfaChallenges = try await inBatches { try await mfa.purgeMFAChallenges(expiredBefore: now, limit: batch) }
        return report
    }

    /// Repeats `deleteBatch` until it deletes less than a full batch; returns the total.
    private func inBatches(_ deleteBatch: () async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await deleteBatch()
            total += deleted
            if deleted < Self.batch { return total }
            await Task.yield()
        }
    }
}
