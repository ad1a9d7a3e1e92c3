/// Logins waiting for their second factor: opened by `LogIn` after the right password, spent
/// by `CompleteMFALogin`. Each `mfa_token` is 256 random bits, stored as a hash, and lives
/// `AUTH_MFA_TOKEN_TTL` seconds, `maximumFailures` wrong codes and one use.
public struct MFAChallenges: Sendable {
    let store: any MFAStore
    let settings: AuthSettings
    let clock: WallClock
    let random: RandomSource

    /// Wrong codes a challenge survives; the next one ends it.
    public static let maximumFailures = 5

    /// Opens a challenge for `account`, whose password matched `verifiedHash`; returns its token.
    func open(for account: Account, clientID: String, verifiedHash: String) async throws -> String {
        let now = clock.seconds
        let (token, hash) = random.opaqueToken()
        try await store.createMFAChallenge(
            MFAChallenge(
                hash: hash, accountID: account.id, clientID: clientID, verifiedHash: verifiedHash, createdAt: now,
                expiresAt: now + settings.mfaTokenTTL))
        return token
    }

    /// The live challenge of `token`, or `invalid_grant`.
    func find(_ token: String) async throws -> MFAChallenge {
        guard OpaqueToken.isWellFormed(token), let challenge = try await store.mfaChallenge(hash: OpaqueToken.hash(token)),
            challenge.expiresAt > clock.seconds
        else { throw AuthError.invalidMFAToken }
        return challenge
    }

    /// Counts a wrong code; the challenge ends at `maximumFailures`.
    func recordFailure(_ challenge: MFAChallenge) async throws {
        try await store.recordMFAChallengeFailure(hash: challenge.hash, limit: Self.maximumFailures)
    }

    /// Spends the challenge, or `invalid_grant` if it was spent or ended meanwhile.
    func consume(_ challenge: MFAChallenge) async throws {
        guard try await store.consumeMFAChallenge(hash: challenge.hash, now: clock.seconds) else { throw AuthError.invalidMFAToken }
    }
}

extension AuthError {
    static let invalidMFAToken = AuthError(.invalidGrant, "The mfa_token is invalid, expired or was already used.")
    static let invalidCode = AuthError(.invalidCode, "The code is not valid.")
    static let mfaOff = AuthError(.notFound, "No second factor is on.")
}
