/// The refresh grant (`POST /v1/token`, `grant_type=refresh_token`): rotation with reuse
/// detection (`RefreshRules`). A request naming another client than the session's is refused,
/// its token untouched.
public struct Refresh: Sendable {
    let sessions: any SessionStore
    let issuer: TokenIssuer
    let audit: AuditLog
    let settings: AuthSettings
    let clock: WallClock
    let random: RandomSource
    let metrics: AuthMetrics

    public func callAsFunction(token: String, client: ClientInfo? = nil, clientID: String? = nil) async throws -> TokenGrant {
        let requestedClient = try clientID.map { try ClientID.resolve($0, settings: settings) }
        guard !token.isEmpty, token.utf8.count <= 512 else { throw AuthError.invalidRefreshToken }
        let nowMillis = clock.milliseconds
        let (newToken, newHash) = random.opaqueToken()
        let idleTTL = settings.sessionIdleTTL, grace = settings.refreshGrace
        let outcome = try await sessions.exchangeRefreshToken(
            hash: OpaqueToken.hash(token), replacementHash: newHash, nowMillis: nowMillis,
            decide: { candidate in
                if let requestedClient, requestedClient != candidate.session.clientID { return .reject }
                return RefreshRules.decide(candidate, nowMillis: nowMillis, idleTTL: idleTTL, grace: grace)
            })
        metrics.refresh(Self.reported(outcome?.decision))
        guard let outcome, outcome.decision == .rotate || outcome.decision == .grace else {
            if let outcome, outcome.decision == .reuse {
                try await audit.record(
                    .refreshReuseDetected, accountID: outcome.session.accountID, client: client,
                    detail: "session \(outcome.session.id) ended")
            }
            throw AuthError.invalidRefreshToken
        }
        return try issuer.grant(for: outcome.session, refreshToken: newToken, now: nowMillis / 1000)
    }

    /// The metric label of a decision.
    static func reported(_ decision: RefreshDecision?) -> String {
        switch decision {
        case .rotate: "rotated"
        case .grace: "grace"
        case .reuse: "reuse_detected"
        case .reject, nil: "rejected"
        }
    }
}
