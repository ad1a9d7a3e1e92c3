import AuthTokens

/// Opens sessions and signs their access tokens.
public struct TokenIssuer: Sendable {
    let sessions: any SessionStore
    let keys: KeyRing
    let settings: AuthSettings
    let clock: WallClock
    let random: RandomSource

    public init(sessions: any SessionStore, keys: KeyRing, settings: AuthSettings, clock: WallClock, random: RandomSource) {
        self.sessions = sessions
        self.keys = keys
        self.settings = settings
        self.clock = clock
        self.random = random
    }

    /// Opens a session for `account`, whose password was just checked against its stored hash
    /// (`verifiedHash`: a change of password since voids the login), and returns its first tokens;
    /// in the same commit, `forgiving`'s failure records go, the client's address is remembered
    /// and the login is audited.
    func openSession(
        for account: Account, client: ClientInfo, clientID: String, forgiving: LoginFailureKeys,
        methods: AuthenticationMethods = .password, verifiedHash: String? = nil
    ) async throws -> TokenGrant {
        let now = clock.seconds
        let (refreshToken, refreshHash) = random.opaqueToken()
        let session = Session(
            id: random.identifier(), accountID: account.id, createdAt: now, lastUsedAt: now,
            expiresAt: now + settings.sessionTTL, userAgent: client.userAgent, ip: client.ip, clientID: clientID,
            authenticationMethods: methods)
        let audit = AuditEvent(
            kind: .loginSucceeded, at: now, accountID: account.id, email: forgiving.email, client: client,
            detail: "session \(session.id)")
        guard
            try await sessions.createSession(
                session, refreshTokenHash: refreshHash, verifiedHash: verifiedHash ?? account.passwordHash ?? "", forgiving: forgiving,
                loginAddress: client.addressKey, audit: audit)
        else {
            throw AuthError.invalidCredentials
        }
        return try grant(for: session, refreshToken: refreshToken, now: now)
    }

    /// A token response for `session`: a new access token and the given refresh token.
    func grant(for session: Session, refreshToken: String, now: Int64) throws -> TokenGrant {
        guard let signer = keys.signer else {
            throw AuthError(.overloaded, "No signing key is loaded yet; retry shortly.", retryAfter: 5)
        }
        let claims = AccessTokenClaims(
            issuer: settings.issuer, subject: session.accountID, audience: settings.audience,
            expiresAt: now + settings.accessTokenTTL, issuedAt: now, tokenID: random.identifier(), sessionID: session.id,
            clientID: session.clientID, authenticationMethods: session.authenticationMethods.values)
        return TokenGrant(
            accessToken: signer.sign(claims), expiresIn: settings.accessTokenTTL, refreshToken: refreshToken,
            sessionID: session.id)
    }
}
