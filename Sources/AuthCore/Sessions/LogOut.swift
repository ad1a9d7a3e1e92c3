/// Which sessions `LogOut` ends.
public enum LogoutScope: String, Sendable {
    /// The caller's session only.
    case local
    /// Every session of the account.
    case global
}

/// Ends the caller's session, or all of the account's (`POST /v1/logout`).
public struct LogOut: Sendable {
    let sessions: any SessionStore
    let audit: AuditLog
    let clock: WallClock

    public func callAsFunction(_ principal: Principal, scope: LogoutScope, client: ClientInfo? = nil) async throws {
        let now = clock.seconds
        switch scope {
        case .local:
            _ = try await sessions.endSession(id: principal.session.id, accountID: principal.account.id, reason: .logout, now: now)
        case .global:
            try await sessions.endSessions(accountID: principal.account.id, except: nil, reason: .logout, now: now)
        }
        try await audit.record(.logout, accountID: principal.account.id, client: client, detail: scope.rawValue)
    }
}
