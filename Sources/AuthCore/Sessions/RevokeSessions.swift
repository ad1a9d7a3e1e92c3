/// An admin ends one session, or every session of an account (`authctl sessions revoke`).
public struct RevokeSessions: Sendable {
    let sessions: any SessionStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    /// Ends every open session of `account`; returns how many.
    @discardableResult
    public func callAsFunction(of account: Account) async throws -> Int {
        let count = try await sessions.endSessions(accountID: account.id, except: nil, reason: .revoked, now: clock.seconds)
        try await audit.record(.sessionRevoked, accountID: account.id, email: account.email, client: actor, detail: "\(count) sessions")
        return count
    }

    /// Ends the open session `id`; `not_found` when there is none.
    public func callAsFunction(id rawID: String) async throws {
        let id = rawID.lowercased()
        guard let found = try await sessions.session(id: id),
            try await sessions.endSession(id: id, accountID: found.accountID, reason: .revoked, now: clock.seconds)
        else { throw AuthError(.notFound, "no open session \(rawID)") }
        try await audit.record(.sessionRevoked, accountID: found.accountID, client: actor, detail: "session \(id)")
    }
}
