import Synchronization

extension TokenService {
    /// Measures one verification of every hash profile in the database, and of the decoy, so
    /// that failed logins are padded to the slowest of them from the start (`FailurePacing`).
    /// Reads every account once and runs on the hashing pool; the server calls it at start.
    @discardableResult
    public func measureStoredHashCosts() async throws -> [String: Duration] {
        let samples = Mutex([PasswordHashScheme.profile(of: hasher.decoyHash): hasher.decoyHash])
        try await store.forEachAccount { account in
            let profile = PasswordHashScheme.profile(of: account.passwordHash)
            samples.withLock { samples in
                if samples[profile] == nil, samples.count < FailurePacing.maximumProfiles {
                    samples[profile] = account.passwordHash
                }
            }
        }
        let hasher = self.hasher, pacing = self.pacing
        let probe = Password("not the password of anyone")
        for (profile, hash) in samples.withLock({ $0 }) {
            try await hashingPool.run(memory: PasswordHashScheme.memoryBytes(of: hash)) {
                let start = ContinuousClock.now
                _ = hasher.verify(probe, against: hash)
                pacing.observe(profile, took: ContinuousClock.now - start)
            }
        }
        return pacing.profiles
    }
}
