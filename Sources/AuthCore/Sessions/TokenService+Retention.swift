/// How many records one retention purge removed.
public struct RetentionReport: Sendable, Equatable {
    public var sessions = 0
    public var usedRefreshTokens = 0
    public var auditEvents = 0

    public init() {}
}

extension TokenService {
    /// Rows deleted per transaction, so a purge never holds the write lock for long.
    static let purgeBatch = 500

    /// Deletes what the retention settings say is no longer needed: sessions (with their
    /// refresh tokens) ended or expired more than `retentionDays` ago, refresh tokens used
    /// that long ago, and audit events older than `auditRetentionDays`. In small batches; the
    /// server runs it now and then.
    @discardableResult
    public func purgeExpiredRecords() async throws -> RetentionReport {
        let now = self.now, batch = Self.purgeBatch
        let cutoff = now - settings.retentionDays * 86_400
        var report = RetentionReport()
        report.sessions = try await inBatches { try await store.purgeSessions(endedBefore: cutoff, limit: batch) }
        report.usedRefreshTokens = try await inBatches {
            try await store.purgeUsedRefreshTokens(usedBefore: cutoff, limit: batch)
        }
        report.auditEvents = try await inBatches {
            try await store.purgeAudit(before: now - settings.auditRetentionDays * 86_400, limit: batch)
        }
        return report
    }

    /// Repeats `deleteBatch` until it deletes less than a full batch; returns the total.
    private func inBatches(_ deleteBatch: () async throws -> Int) async throws -> Int {
        var total = 0
        while true {
            let deleted = try await deleteBatch()
            total += deleted
            if deleted < Self.purgeBatch { return total }
            await Task.yield()
        }
    }
}
