import AuthTokens

/// The caller of a Bearer-authenticated request: a verified token of a live session
/// of an active account.
public struct Principal: Sendable {
    public var claims: AccessTokenClaims
    public var account: Account
    public var session: Session
}

extension TokenService {
    /// Verifies an access token and checks, unlike other services can, that its session
    /// is still alive and its account active.
    public func authenticate(bearer token: String) async throws -> Principal {
        guard case .valid(let claims) = verifier.verify(token, keys: keys.verificationKeys, now: clock()) else {
            throw AuthError.invalidToken
        }
        guard let (session, account) = try await store.sessionWithAccount(id: claims.sessionID),
            session.accountID == claims.subject, session.isActive(at: now, idleTTL: settings.sessionIdleTTL),
            account.status == .active
        else { throw AuthError.invalidToken }
        return Principal(claims: claims, account: account, session: session)
    }
}
