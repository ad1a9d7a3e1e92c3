import AuthCrypto
import AuthTokens
import Synchronization

/// The signing keys in memory: the current signer, the verification keys and the JWKS,
/// reloaded from the store so that rotations by `authctl` reach a running server.
public final class KeyRing: Sendable {
    struct State {
        var signer: AccessTokenSigner?
        var verificationKeys = VerificationKeys()
        var jwks = JWKSet(keys: [])
    }

    public let algorithm: JWSAlgorithm
    private let keyEncryptionKey: SecretBytes
    private let state = Mutex(State())

    public init(keyEncryptionKey: SecretBytes, algorithm: JWSAlgorithm = .edDSA) {
        self.keyEncryptionKey = keyEncryptionKey
        self.algorithm = algorithm
    }

    /// Signs new access tokens; nil until a current key is loaded.
    public var signer: AccessTokenSigner? { state.withLock { $0.signer } }
    /// Every published key, for verifying tokens.
    public var verificationKeys: VerificationKeys { state.withLock { $0.verificationKeys } }
    /// The published keys as a JWK Set.
    public var jwks: JWKSet { state.withLock { $0.jwks } }

    /// A new key, sealed with the key-encryption key.
    public func makeKey(state: SigningKey.State, now: Int64, activatesAt: Int64? = nil) throws -> SigningKey {
        let key = Ed25519.PrivateKey()
        return SigningKey(
            kid: JWK.thumbprint(publicKey: key.publicKey), state: state, publicKey: key.publicKey,
            sealedPrivateKey: try SecretBox.seal(key.seed, key: keyEncryptionKey), createdAt: now,
            activatesAt: activatesAt)
    }

    /// Seals a secret the database must keep and give back (a queued mail's message): only a
    /// holder of the key file can read it, so a copy of the database alone gives nothing away.
    public func seal(_ secret: [UInt8]) throws -> [UInt8] {
        try SecretBox.seal(SecretBytes(secret), key: keyEncryptionKey)
    }

    /// The secret sealed by `seal(_:)`.
    public func open(_ sealed: [UInt8]) throws -> [UInt8] {
        try SecretBox.open(sealed, key: keyEncryptionKey).withUnsafeBytes { [UInt8]($0) }
    }

    /// Adds a current key when the store has none (first start). Returns whether it did.
    public func ensureCurrentKey(in store: any KeyStore, now: Int64) async throws -> Bool {
        let keys = try await store.signingKeys()
        guard !keys.contains(where: { $0.state == .current }) else { return false }
        try await store.insertSigningKey(try makeKey(state: .current, now: now))
        return true
    }

    /// Applies due rotations in the store, then loads its keys. `retireBefore`: previous keys
    /// deactivated before it can't have signed a live token and leave the JWKS.
    public func reload(from store: any KeyStore, now: Int64, retireBefore: Int64) async throws {
        var keys = try await store.signingKeys()
        let due = KeyRotation.due(keys, now: now, retireBefore: retireBefore)
        if !due.isEmpty, try await store.applyKeyChanges(due) { keys = try await store.signingKeys() }
        keys = keys.filter(\.isPublished)
        var signer = self.signer
        if let current = keys.first(where: { $0.state == .current }), signer?.kid != current.kid {
            let seed = try SecretBox.open(current.sealedPrivateKey, key: keyEncryptionKey)
            signer = AccessTokenSigner(key: try Ed25519.PrivateKey(seed: seed), kid: current.kid, algorithm: algorithm)
        }
        let published = Dictionary(keys.map { ($0.kid, $0.publicKey) }, uniquingKeysWith: { first, _ in first })
        let jwks = JWKSet(keys: keys.map { JWK(publicKey: $0.publicKey, algorithm: algorithm) })
        state.withLock {
            $0.signer = signer
            $0.verificationKeys = VerificationKeys(published)
            $0.jwks = jwks
        }
    }
}
