/// The persistence the token service needs, and nothing more: the seam behind which
/// SQLite sits today and another store (PostgreSQL for several nodes) can sit later.
///
/// Each method is one transaction. Methods that decide something inside the transaction
/// take the decision as a closure, so the rule stays in the domain and the store stays dumb.
public protocol AuthStore: Sendable {

    // Accounts
    /// Inserts a new account; throws `account_exists` when the email is taken.
    func insertAccount(_ account: Account) async throws
    func account(email: String) async throws -> Account?
    func account(id: String) async throws -> Account?
    /// Accounts in email order, after `email` when given.
    func accounts(afterEmail email: String?, limit: Int) async throws -> [Account]
    /// Calls `body` with every account, in creation order, from one consistent snapshot
    /// (writers may go on meanwhile).
    func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws
    /// Writes imported accounts all or nothing: conflicts with existing accounts (per `policy`)
    /// are found before any write; the writes go in short batches so a running server is never
    /// blocked for long, and if one fails (an email taken meanwhile) the earlier batches are
    /// taken back. When `dryRun`, nothing is written. An update that changes a hash or disables
    /// an account ends its sessions.
    /// `progress` hears how many records are done, now and then.
    func importAccounts(
        _ records: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool, now: Int64,
        progress: (@Sendable (Int) -> Void)?
    ) async throws -> ImportResult
    /// Deletes an account with its sessions; false when there is none.
    func deleteAccount(id: String) async throws -> Bool
    /// Replaces the hash only if it is still `expected` (an upgrade racing a password change loses).
    func replacePasswordHash(accountID: String, expected: String, with newHash: String, now: Int64) async throws -> Bool
    /// Enables or disables an account; disabling ends all its sessions. False when no such account.
    func setStatus(accountID: String, status: Account.Status, now: Int64) async throws -> Bool
    /// Sets a new hash and ends every session of the account except `keepSession`.
    func setPassword(accountID: String, hash: String, keepSession: String?, now: Int64) async throws

    // Sessions and refresh tokens
    /// Opens a session, unless the account's password hash is no longer `verifiedHash` or the
    /// account is not active: a login that raced a password change or a disable loses. Returns whether it opened.
    /// In the same commit as the session, the rest of a successful login: the failure records of
    /// `forgiving` are deleted, `loginAddress` is remembered as one the account logs in from
    /// (the `LoginAddresses.maximumPerAccount` latest are kept), and `audit` is appended.
    func createSession(
        _ session: Session, refreshTokenHash: [UInt8], verifiedHash: String, forgiving: LoginFailureKeys?,
        loginAddress: String?, audit: AuditEvent?
    ) async throws -> Bool
    func session(id: String) async throws -> Session?
    /// A session with its account, in one read: what every authenticated request needs.
    func sessionWithAccount(id: String) async throws -> (Session, Account)?
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
    /// Looks up the token by hash and applies `decide`'s verdict atomically (an immediate
    /// transaction, so two exchanges of one token can't both rotate). For `rotate` and
    /// `grace`, `replacementHash` is stored as the new token. Nil when the token is unknown.
    func exchangeRefreshToken(
        hash: [UInt8], replacementHash: [UInt8], nowMillis: Int64,
        decide: @escaping @Sendable (RefreshCandidate) -> RefreshDecision
    ) async throws -> (decision: RefreshDecision, session: Session)?

    // Login throttling
    /// Reads the records of `email` under each of `ips` and applies the change `decide` returns
    /// for each, in one transaction (one commit on the login path). Returns the records as they were.
    @discardableResult
    func updateLoginFailures(
        email: String, ips: [String], now: Int64,
        _ decide: @escaping @Sendable ([LoginFailures?]) -> [LoginFailuresChange]
    ) async throws -> [LoginFailures?]
    /// Deletes records not locked any more and untouched since `updatedBefore`.
    func purgeLoginFailures(updatedBefore: Int64, now: Int64) async throws
    /// Deletes every failure record of `email`, under every address; returns how many there were.
    func clearLoginFailures(email: String) async throws -> Int
    /// Whether the account with `email` logged in successfully from `address` at or after `since`.
    func hasLoggedIn(email: String, from address: String, since: Int64) async throws -> Bool
    /// Forgets login addresses last used before `before`.
    func purgeLoginAddresses(before: Int64) async throws

    // Signing keys
    func signingKeys() async throws -> [SigningKey]
    func insertSigningKey(_ key: SigningKey) async throws
    /// Takes a standby or previous key out of the JWKS; false when no such key or it is current.
    func retireSigningKey(kid: String, now: Int64) async throws -> Bool
    /// Makes the latest due standby key current (the old one becomes previous) and retires
    /// previous keys deactivated before `retireBefore`. Returns whether anything changed.
    func rotateDueKeys(now: Int64, retireBefore: Int64) async throws -> Bool

    // Audit log
    func appendAudit(_ event: AuditEvent) async throws
    /// Events matching `filter`, newest first.
    func auditEvents(_ filter: AuditFilter) async throws -> [AuditEvent]

    // Retention: each deletes at most `limit` rows, in one transaction, and returns how many.
    /// Sessions that expired, or ended, before `cutoff`, with their refresh tokens.
    func purgeSessions(endedBefore cutoff: Int64, limit: Int) async throws -> Int
    /// Refresh tokens used up before `cutoff`.
    func purgeUsedRefreshTokens(usedBefore cutoff: Int64, limit: Int) async throws -> Int
    /// Audit events older than `cutoff`; the only deletion the audit log allows.
    func purgeAudit(before cutoff: Int64, limit: Int) async throws -> Int

    /// Throws when the store can't serve: unreachable, or its schema isn't current.
    func checkReady() async throws
    /// Closes the database (after the last use; a WAL database is checkpointed).
    func close() throws
}
