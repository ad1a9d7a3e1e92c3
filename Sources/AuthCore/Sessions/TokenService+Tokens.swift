import AuthTokens

extension TokenService {
    /// Opens a session for `account`, whose password was just checked against its stored
    /// hash, and returns its first tokens.
    func startSession(for account: Account, client: ClientInfo, clientID: String, forgiving: LoginFailureKeys) async throws
        -> TokenGrant
    {
        let now = self.now
        let (refreshToken, refreshHash) = RefreshToken.make()
        let session = Session(
            id: Identifier.make(), accountID: account.id, createdAt: now, lastUsedAt: now,
            expiresAt: now + settings.sessionTTL, userAgent: client.userAgent, ip: client.ip, clientID: clientID)
        let audit = AuditEvent(
            kind: .loginSucceeded, at: now, accountID: account.id, email: forgiving.email, client: client,
            detail: "session \(session.id)")
        guard
            try await store.createSession(
                session, refreshTokenHash: refreshHash, verifiedHash: account.passwordHash, forgiving: forgiving, loginAddress: client.addressKey, audit: audit)
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
            expiresAt: now + settings.accessTokenTTL, issuedAt: now, tokenID: Identifier.make(), sessionID: session.id,
            clientID: session.clientID)
        return TokenGrant(
            accessToken: signer.sign(claims), expiresIn: settings.accessTokenTTL, refreshToken: refreshToken,
            sessionID: session.id)
    }

    /// The refresh grant (`POST /v1/token`, `grant_type=refresh_token`): rotation with reuse
    /// detection. A request naming another client than the session's is refused, token untouched.
    public func refresh(token: String, client: ClientInfo? = nil, clientID: String? = nil) async throws -> TokenGrant {
        let requestedClient = try clientID.map { try self.client(named: $0) }
        guard !token.isEmpty, token.utf8.count <= 512 else { throw AuthError.invalidRefreshToken }
        let nowMillis = Int64((clock().timeIntervalSince1970 * 1000).rounded(.down))
        let (newToken, newHash) = RefreshToken.make()
        let idleTTL = settings.sessionIdleTTL, grace = settings.refreshGrace
        let outcome = try await store.exchangeRefreshToken(
            hash: RefreshToken.hash(token), replacementHash: newHash, nowMillis: nowMillis,
            decide: { candidate in
                if let requestedClient, requestedClient != candidate.session.clientID { return .reject }
                return RefreshRules.decide(candidate, nowMillis: nowMillis, idleTTL: idleTTL, grace: grace)
            })
        let reported: String =
            switch outcome?.decision {
            case .rotate: "rotated"
            case .grace: "grace"
            case .reuse: "reuse_detected"
            case .reject, nil: "rejected"
            }
        metrics.refresh(reported)
        guard let outcome, outcome.decision == .rotate || outcome.decision == .grace else {
            if let outcome, outcome.decision == .reuse {
                try await audit(
                    .refreshReuseDetected, accountID: outcome.session.accountID, client: client,
                    detail: "session \(outcome.session.id) ended")
            }
            throw AuthError.invalidRefreshToken
        }
        return try grant(for: outcome.session, refreshToken: newToken, now: nowMillis / 1000)
    }

    /// Token revocation (RFC 7009): ends the session the refresh token belongs to.
    /// Unknown tokens are ignored, so the answer tells nothing.
    public func revoke(refreshToken: String, client: ClientInfo? = nil) async throws {
        guard !refreshToken.isEmpty, refreshToken.utf8.count <= 512,
            let ended = try await store.endSession(refreshTokenHash: RefreshToken.hash(refreshToken), reason: .revoked, now: now)
        else { return }
        try await audit(.sessionRevoked, accountID: ended.accountID, client: client, detail: "session \(ended.sessionID) (token revoked)")
    }
}
