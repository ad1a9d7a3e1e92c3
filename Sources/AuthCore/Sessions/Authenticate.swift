import AuthTokens

/// The caller of a Bearer-authenticated request: a verified token of a live session
/// of an active account.
public struct Principal: Sendable {
    public var claims: AccessTokenClaims
    public var account: Account
    public var session: Session
}

/// Verifies an access token and checks, unlike other services can, that its session
/// is still alive and its account active.
public struct Authenticate: Sendable {
    let sessions: any SessionStore
    let keys: KeyRing
    let verifier: AccessTokenVerifier
    let idleTTL: Int64
    let clock: WallClock

    nonisolated(nonsending) public func callAsFunction(bearer token: String) async throws -> Principal {
        let now = clock.date()
        guard case .valid(let claims) = verifier.verify(token, keys: keys.verificationKeys, now: now) else {
            throw AuthError.invalidToken
        }
        guard let (session, account) = try await sessions.sessionWithAccount(id: claims.sessionID),
            session.accountID == claims.subject, session.isActive(at: now.unixSeconds, idleTTL: idleTTL),
            account.status == .active
        else { throw AuthError.invalidToken }
        return Principal(claims: claims, account: account, session: session)
    }
}
