/// Ends one live session of an account (`DELETE /v1/sessions/{id}`, `authctl sessions
/// revoke`); `not_found` for any other id.
public struct EndSession: Sendable {
    let sessions: any SessionStore
    let audit: AuditLog
    let idleTTL: Int64
    let clock: WallClock

    public func callAsFunction(accountID: String, id: String, client: ClientInfo? = nil) async throws {
        let now = clock.seconds
        guard let session = try await sessions.session(id: id.lowercased()), session.accountID == accountID,
            session.isActive(at: now, idleTTL: idleTTL),
            try await sessions.endSession(id: session.id, accountID: accountID, reason: .revoked, now: now)
        else { throw AuthError(.notFound, "No such session.") }
        try await audit.record(.sessionRevoked, accountID: accountID, client: client, detail: "session \(session.id)")
    }
}
