import Synchronization

/// Measures one verification of every hash profile in the database, and of the decoy, so
/// that failed logins are padded to the slowest of them from the start (`FailurePacing`).
/// Reads every account once and runs on the hashing pool; the server runs it at start.
public struct MeasureHashCosts: Sendable {
    let accounts: any TransferStore
    let hashing: PasswordHashing

    @discardableResult
    public func callAsFunction() async throws -> [String: Duration] {
        let decoy = hashing.hasher.decoyHash
        let samples = Mutex([PasswordHashScheme.profile(of: decoy): decoy])
        try await accounts.forEachAccount { account in
            guard let hash = account.passwordHash else { return }
            let profile = PasswordHashScheme.profile(of: hash)
            samples.withLock { samples in
                if samples[profile] == nil, samples.count < FailurePacing.maximumProfiles {
                    samples[profile] = hash
                }
            }
        }
        let probe = Password("not the password of anyone")
        for (_, hash) in samples.withLock({ $0 }) {
            _ = try await hashing.verify(probe, against: hash)
        }
        return hashing.pacing.profiles
    }
}
