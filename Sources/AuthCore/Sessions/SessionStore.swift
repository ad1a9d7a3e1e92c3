/// The persistence sessions and refresh tokens need. Refresh tokens are stored only as hashes.
/// Methods that decide inside their transaction take the decision as a closure from the domain.
public protocol SessionStore: Sendable {
    /// Opens a session, unless the account's password hash is no longer `verifiedHash` or the
    /// account is not active: a login that raced a password change or a disable loses. Returns
    /// whether it opened. In the same commit, the rest of a successful login: the failure records
    /// of `forgiving` are deleted, `loginAddress` is remembered as one the account logs in from
    /// (the `LoginAddresses.maximumPerAccount` latest are kept), and `audit` is appended.
    func createSession(
        _ session: Session, refreshTokenHash: [UInt8], verifiedHash: String, forgiving: LoginFailureKeys?,
        loginAddress: String?, audit: AuditEvent?
    ) async throws -> Bool
    func session(id: String) async throws -> Session?
    /// A session with its account, in one read: what every authenticated request needs.
    nonisolated(nonsending) func sessionWithAccount(id: String) async throws -> (Session, Account)?
    /// Sessions of the account not yet ended, newest first.
    func openSessions(accountID: String) async throws -> [Session]
    /// How many sessions are live at `now`.
    func liveSessionCount(now: Int64, idleTTL: Int64) async throws -> Int
    /// Ends one session of the account; false when there is no such open session.
    func endSession(id: String, accountID: String, reason: SessionEndReason, now: Int64) async throws -> Bool
    /// Ends every open session of the account except `except`; returns how many ended.
    @discardableResult
    func endSessions(accountID: String, except: String?, reason: SessionEndReason, now: Int64) async throws -> Int
    /// Ends the session a refresh token (current or used up) belongs to; nil when there was no open one.
    func endSession(refreshTokenHash: [UInt8], reason: SessionEndReason, now: Int64) async throws
        -> (sessionID: String, accountID: String)?
    /// Looks up the token by hash and applies `decide`'s verdict atomically (two exchanges of one
    /// token can't both rotate). For `rotate` and `grace`, `replacementHash` is stored as the new
    /// token; `reuse` ends the session. Nil when the token is unknown.
    func exchangeRefreshToken(
        hash: [UInt8], replacementHash: [UInt8], nowMillis: Int64,
        decide: @escaping @Sendable (RefreshCandidate) -> RefreshDecision
    ) async throws -> (decision: RefreshDecision, session: Session)?

    // Retention: each deletes at most `limit` rows, in one transaction, and returns how many.
    /// Sessions that expired, or ended, before `cutoff`, with their refresh tokens.
    func purgeSessions(endedBefore cutoff: Int64, limit: Int) async throws -> Int
    /// Refresh tokens used up before `cutoff`.
    func purgeUsedRefreshTokens(usedBefore cutoff: Int64, limit: Int) async throws -> Int
}
