extension TokenService {
    /// Appends a security event to the audit log.
    func audit(
        _ kind: AuditEvent.Kind, accountID: String? = nil, email: String = "", client: ClientInfo? = nil, detail: String = ""
    ) async throws {
        try await store.appendAudit(
            AuditEvent(kind: kind, at: now, accountID: accountID, email: email, client: client, detail: detail))
    }
}
