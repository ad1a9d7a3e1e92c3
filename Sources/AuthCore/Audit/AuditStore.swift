/// The persistence of the security event log: append, query, and the retention purge, the
/// only deletion it allows.
public protocol AuditStore: Sendable {
    func appendAudit(_ event: AuditEvent) async throws
    /// Events matching `filter`, newest first.
    func auditEvents(_ filter: AuditFilter) async throws -> [AuditEvent]
    /// Deletes at most `limit` events older than `cutoff`, in one transaction; returns how many.
    func purgeAudit(before cutoff: Int64, limit: Int) async throws -> Int
}
