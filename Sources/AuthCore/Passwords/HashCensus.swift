import Synchronization

/// How many stored hashes there are of each profile (algorithm and cost), and how many will be
/// upgraded to argon2id at `cost` at their owners' next login (`authctl hashes`).
public struct HashCensus: Sendable {
    public struct Report: Sendable, Encodable {
        public var profiles: [String: Int]
        public var dueForUpgrade: Int
        public var target: String
    }

    let accounts: any TransferStore
    let cost: Argon2Parameters

    public init(accounts: any TransferStore, cost: Argon2Parameters) {
        self.accounts = accounts
        self.cost = cost
    }

    public func callAsFunction() async throws -> Report {
        let cost = self.cost
        let counts = Mutex<(profiles: [String: Int], due: Int)>(([:], 0))
        try await accounts.forEachAccount { account in
            let profile = PasswordHashScheme.profile(of: account.passwordHash)
            let due = PasswordHasher.needsRehash(account.passwordHash, cost: cost)
            counts.withLock {
                $0.profiles[profile, default: 0] += 1
                if due { $0.due += 1 }
            }
        }
        let (profiles, due) = counts.withLock { $0 }
        return Report(profiles: profiles, dueForUpgrade: due, target: "argon2id \(cost)")
    }
}
