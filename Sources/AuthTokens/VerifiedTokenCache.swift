import AuthCrypto
import Synchronization

/// Tokens that verified before, so a token seen again costs a hash and a lookup instead of
/// a signature check.
///
/// Bounded to `capacity` entries, keyed by the token's BLAKE2b-256 (no token is kept, and no
/// lookup compares secret bytes early-out; a third of SHA-256's cost in libsodium). An entry
/// never outlives its token: every hit re-checks `exp`, `iat` and `nbf` against the clock, and
/// that the key that signed it is still trusted under its `kid` — a retired or replaced key
/// makes its tokens verify in full again, and fail. Only tokens that verified are stored, so
/// forged tokens can't fill it.
public final class VerifiedTokenCache: Sendable {
    /// Enough for every live token of a busy service; about 300 bytes each.
    public static let defaultCapacity = 10_000

    struct Entry: Sendable {
        let claims: AccessTokenClaims
        let kid: String
        let publicKey: [UInt8]
    }

    public let capacity: Int
    private let entries = Mutex<[[UInt8]: Entry]>([:])

    public init(capacity: Int = VerifiedTokenCache.defaultCapacity) {
        self.capacity = max(1, capacity)
    }

    /// How many tokens are remembered now.
    public var count: Int { entries.withLock { $0.count } }

    static func digest(_ token: some Collection<UInt8>) -> [UInt8] { Sodium.blake2b256(token) }

    /// The entry for `digest` whose key is still `keys`' key for its `kid`, verified for this
    /// `issuer` and `audience` (a cache shared by verifiers of several audiences must not let a
    /// token meant for one pass at another); a stale one is dropped.
    func entry(_ digest: [UInt8], keys: VerificationKeys, issuer: String, audience: String) -> Entry? {
        entries.withLock { entries in
            guard let entry = entries[digest], entry.claims.issuer == issuer, entry.claims.audience == audience else {
                return nil
            }
            guard keys.publicKey(kid: entry.kid) == entry.publicKey else {
                entries[digest] = nil
                return nil
            }
            return entry
        }
    }

    /// Remembers a token that verified. When full, expired entries go first, then all of them.
    func insert(_ digest: [UInt8], _ entry: Entry, now: Int64) {
        entries.withLock { entries in
            if entries.count >= capacity {
                entries = entries.filter { $0.value.claims.expiresAt + AccessTokenVerifier.maximumLeeway > now }
                if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            }
            entries[digest] = entry
        }
    }

    /// Forgets `digest` (its token has expired).
    func remove(_ digest: [UInt8]) {
        _ = entries.withLock { $0.removeValue(forKey: digest) }
    }
}
