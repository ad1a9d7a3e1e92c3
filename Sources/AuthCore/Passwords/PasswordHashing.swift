import AuthCrypto

/// Password hashing as use cases need it: on the hashing pool, reserving the memory each hash
/// takes, with failed logins paced to the slowest stored hash.
public struct PasswordHashing: Sendable {
    public let hasher: PasswordHasher
    public let pool: HashingPool
    public let pacing: FailurePacing

    public init(hasher: PasswordHasher, pool: HashingPool, pacing: FailurePacing = FailurePacing()) {
        self.hasher = hasher
        self.pool = pool
        self.pacing = pacing
    }

    /// Whether `password` matches `stored` (the decoy when there is none), with how long the
    /// verification took; the pacing learns that profile's cost.
    func verify(_ password: Password, against stored: String?) async throws -> (matches: Bool, took: Duration) {
        let hasher = self.hasher, pacing = self.pacing
        let hash = stored ?? hasher.decoyHash
        let check = { @Sendable () throws -> (matches: Bool, took: Duration) in
            let start = ContinuousClock.now
            let matches = try hasher.verify(password, against: hash)
            let took = ContinuousClock.now - start
            // A password with a typed form may have cost two verifications: not one profile's cost.
            if password.asTyped == nil { pacing.observe(PasswordHashScheme.profile(of: hash), took: took) }
            return (matches, took)
        }
        return try await Self.unlessKernelFailed { try await pool.run(memory: PasswordHashScheme.memoryBytes(of: hash), check) }
    }

    /// Sleeps out the rest of a failed login's time (`FailurePacing`), after `took` of hashing.
    func padFailure(of password: Password, took: Duration) async {
        try? await Task.sleep(for: pacing.floor(for: password) - took)
    }

    /// A new argon2id hash of `password`.
    func hash(_ password: Password) async throws -> String {
        let hasher = self.hasher
        return try await Self.unlessKernelFailed {
            try await pool.run(memory: hasher.parameters.memoryBytes) { try hasher.hash(password) }
        }
    }

    /// `operation`, with a hash that couldn't be computed at all (argon2's helper process died
    /// twice running) answered as 503: the request may be retried, and it counts as no attempt.
    private static func unlessKernelFailed<T>(_ operation: () async throws -> T) async throws -> T {
        do {
            return try await operation()
        } catch let error where error is AuthError || error is CryptoError {
            throw error
        } catch {
            throw AuthError(.unavailable, "Passwords can't be checked right now; retry shortly.", retryAfter: 1)
        }
    }

    /// Whether `stored` should be replaced by a hash at the configured cost.
    func needsRehash(_ stored: String) -> Bool { hasher.needsRehash(stored) }
}
