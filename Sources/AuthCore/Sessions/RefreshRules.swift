/// What a presented refresh token finds in the store.
public struct RefreshCandidate: Sendable {
    public var tokenGeneration: Int64
    public var tokenUsedAt: Int64?
    public var session: Session
    public var accountIsActive: Bool

    public init(tokenGeneration: Int64, tokenUsedAt: Int64?, session: Session, accountIsActive: Bool) {
        self.tokenGeneration = tokenGeneration
        self.tokenUsedAt = tokenUsedAt
        self.session = session
        self.accountIsActive = accountIsActive
    }
}

/// What to do with a presented refresh token.
public enum RefreshDecision: String, Sendable {
    /// A current token: use it up, advance the generation, issue its successor.
    case rotate
    /// The token just rotated away, again within the grace window (two tabs refreshing at
    /// once): issue another token of the current generation; the session goes on.
    case grace
    /// A used-up token outside the grace window: someone holds a copy. End the session.
    case reuse
    /// The session has ended or expired, or the account is disabled.
    case reject
}

/// Refresh-token rotation with reuse detection (OAuth 2.0 Security BCP, RFC 9700 §4.14.2).
public enum RefreshRules {
    /// The verdict at `nowMillis`; `grace` is in seconds, and a grace of 0 forgives nothing.
    public static func decide(_ candidate: RefreshCandidate, nowMillis: Int64, idleTTL: Int64, grace: Int64) -> RefreshDecision {
        let session = candidate.session
        guard candidate.accountIsActive, session.isActive(at: nowMillis / 1000, idleTTL: idleTTL) else { return .reject }
        if candidate.tokenGeneration == session.generation && candidate.tokenUsedAt == nil {
            return .rotate
        }
        if candidate.tokenGeneration == session.generation - 1, let rotatedAt = session.rotatedAtMillis,
            nowMillis - rotatedAt < grace * 1000
        {
            return .grace
        }
        return .reuse
    }
}
