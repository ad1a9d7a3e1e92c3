/// An account's TOTP factor as stored: the secret sealed with the key-encryption key.
public struct TOTPFactor: Sendable, Equatable {
    public var accountID: String
    public var sealedSecret: [UInt8]
    /// False while the enrolment waits for its first code.
    public var confirmed: Bool
    /// The last time step a code was accepted for (-1: none).
    public var lastStep: Int64
    public var createdAt: Int64

    public init(accountID: String, sealedSecret: [UInt8], confirmed: Bool = false, lastStep: Int64 = -1, createdAt: Int64) {
        self.accountID = accountID
        self.sealedSecret = sealedSecret
        self.confirmed = confirmed
        self.lastStep = lastStep
        self.createdAt = createdAt
    }
}

/// A login that passed its password and waits for its second factor (the `mfa_token`).
public struct MFAChallenge: Sendable, Equatable {
    public var hash: [UInt8]
    public var accountID: String
    public var clientID: String
    /// The password hash the first factor was checked against.
    public var verifiedHash: String
    public var failures: Int
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(
        hash: [UInt8], accountID: String, clientID: String, verifiedHash: String, failures: Int = 0, createdAt: Int64,
        expiresAt: Int64
    ) {
        self.hash = hash
        self.accountID = accountID
        self.clientID = clientID
        self.verifiedHash = verifiedHash
        self.failures = failures
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// The persistence the second factor needs. Every change that turns TOTP on or off also sets
/// the account's `mfaEnabled`, in the same commit.
public protocol MFAStore: Sendable {
    func totpFactor(accountID: String) async throws -> TOTPFactor?
    /// Stores a pending enrolment in place of an earlier pending one; false (nothing changed)
    /// when the account's TOTP is on.
    func beginTOTPEnrolment(_ factor: TOTPFactor) async throws -> Bool
    /// In one commit: confirms the pending factor, records `step` as used, stores the recovery
    /// codes' hashes and turns the account's `mfaEnabled` on. False when nothing is pending.
    func confirmTOTP(accountID: String, step: Int64, recoveryCodeHashes: [[UInt8]], now: Int64) async throws -> Bool
    /// Records `step` as used if it comes after the last step used; false otherwise (a replay).
    func useTOTPStep(accountID: String, step: Int64) async throws -> Bool
    func recoveryCodeHashes(accountID: String) async throws -> [[UInt8]]
    /// Spends one recovery code; false when it is gone (used meanwhile).
    func useRecoveryCode(accountID: String, hash: [UInt8]) async throws -> Bool
    /// Replaces every recovery code; false (nothing changed) when TOTP is off.
    func replaceRecoveryCodes(accountID: String, hashes: [[UInt8]]) async throws -> Bool
    /// Removes the factor (pending or not) and the recovery codes, and turns `mfaEnabled` off;
    /// false when TOTP was not on.
    func removeTOTP(accountID: String, now: Int64) async throws -> Bool

    func createMFAChallenge(_ challenge: MFAChallenge) async throws
    func mfaChallenge(hash: [UInt8]) async throws -> MFAChallenge?
    /// Counts a wrong code against the challenge and deletes it once it has `limit` failures.
    func recordMFAChallengeFailure(hash: [UInt8], limit: Int) async throws
    /// Spends the challenge; false when it is gone (used, ended by failures) or expired at `now`.
    func consumeMFAChallenge(hash: [UInt8], now: Int64) async throws -> Bool
    /// Deletes up to `limit` challenges expired before `expiredBefore`; returns how many.
    func purgeMFAChallenges(expiredBefore: Int64, limit: Int) async throws -> Int
}
