import Synchronization

/// How many stored hashes there are of each profile (algorithm and cost), how many will be
/// upgraded to argon2id at `cost` at their owners' next login, and how many accounts have no
/// hash yet, awaiting lazy migration (`authctl hashes`).
public struct HashCensus: Sendable {
    public struct Report: Sendable, Encodable {
        public var profiles: [String: Int]
        public var dueForUpgrade: Int
        public var awaitingMigration: Int
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
        let counts = Mutex<(profiles: [String: Int], due: Int, awaiting: Int)>(([:], 0, 0))
        try await accounts.forEachAccount { account in
            guard let hash = account.passwordHash else { return counts.withLock { $0.awaiting += 1 } }
            let profile = PasswordHashScheme.profile(of: hash)
            let due = PasswordHasher.needsRehash(hash, cost: cost)
            counts.withLock {
                $0.profiles[profile, default: 0] += 1
                if due { $0.due += 1 }
            }
        }
        let (profiles, due, awaiting) = counts.withLock { $0 }
        return Report(profiles: profiles, dueForUpgrade: due, awaitingMigration: awaiting, target: "argon2id \(cost)")
    }
}
