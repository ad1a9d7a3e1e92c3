import Synchronization

/// Makes every failed login take as long, whatever hash the account has (or whether it has
/// one): each failure is padded to the slowest stored hash's cost.
///
/// A legacy or outdated hash verifies faster or slower than the decoy an unknown email pays,
/// so without padding the answer's timing would tell which emails have imported accounts.
/// The cost of each hash profile (`bcrypt 12`, `argon2id m=65536,t=3,p=1`, …) is its fastest
/// verification seen, so a slow moment under load doesn't raise it; the server measures every
/// profile in the database at start (`MeasureHashCosts`) and each login adds
/// what it saw. The padding is a sleep, not work: it holds no hashing thread.
public final class FailurePacing: Sendable {
    /// Profiles remembered; more than this many distinct costs never occur in practice.
    static let maximumProfiles = 256
    private let costs = Mutex<[String: Duration]>([:])

    public init() {}

    /// Records that verifying one hash of `profile` took `duration`.
    func observe(_ profile: String, took duration: Duration) {
        costs.withLock { costs in
            if let known = costs[profile] {
                if duration < known { costs[profile] = duration }
            } else if costs.count < Self.maximumProfiles {
                costs[profile] = duration
            }
        }
    }

    /// How long a failed login must take: the slowest profile's cost, twice when the password
    /// has a typed form besides its normalized one (imported hashes are then tried with both).
    func floor(for password: Password) -> Duration {
        let slowest = costs.withLock { $0.values.max() } ?? .zero
        return password.asTyped == nil ? slowest : slowest * 2
    }

    /// The profiles measured so far, for tests and logs.
    public var profiles: [String: Duration] { costs.withLock { $0 } }
}
