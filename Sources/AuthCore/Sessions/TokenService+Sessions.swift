extension TokenService {
    public enum LogoutScope: String, Sendable {
        /// The caller's session only.
        case local
        /// Every session of the account.
        case global
    }

    /// Ends the caller's session, or all of the account's (`POST /v1/logout`).
    public func logOut(_ principal: Principal, scope: LogoutScope, client: ClientInfo? = nil) async throws {
        switch scope {
        case .local:
            _ = try await store.endSession(id: principal.session.id, accountID: principal.account.id, reason: .logout, now: now)
        case .global:
            try await store.endSessions(accountID: principal.account.id, except: nil, reason: .logout, now: now)
        }
        try await audit(.logout, accountID: principal.account.id, client: client, detail: scope.rawValue)
    }

    /// How many sessions are live now, across accounts (for monitoring).
    public func liveSessionCount() async throws -> Int {
        try await store.liveSessionCount(now: now, idleTTL: settings.sessionIdleTTL)
    }

    /// The account's live sessions, newest first (`GET /v1/sessions`).
    public func sessions(of principal: Principal) async throws -> [Session] {
        let now = self.now
        return try await store.openSessions(accountID: principal.account.id)
            .filter { $0.isActive(at: now, idleTTL: settings.sessionIdleTTL) }
    }

    /// Ends one of the caller's live sessions (`DELETE /v1/sessions/{id}`); `not_found` for any other id.
    public func endSession(_ principal: Principal, id: String, client: ClientInfo? = nil) async throws {
        let now = self.now
        guard let session = try await store.session(id: id.lowercased()), session.accountID == principal.account.id,
            session.isActive(at: now, idleTTL: settings.sessionIdleTTL),
            try await store.endSession(id: session.id, accountID: principal.account.id, reason: .revoked, now: now)
        else { throw AuthError(.notFound, "No such session.") }
        try await audit(.sessionRevoked, accountID: principal.account.id, client: client, detail: "session \(session.id)")
    }
}
