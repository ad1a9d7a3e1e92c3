/// An Ed25519 signing key as stored, its private half sealed with the key-encryption key.
public struct SigningKey: Sendable, Equatable {
    public enum State: String, Sendable, CaseIterable {
        /// Published in the JWKS, not yet signing: verifiers fetch it before it is used.
        case standby
        /// Signs new tokens. Exactly one key is current.
        case current
        /// No longer signs; published until every token it signed has expired.
        case previous
        /// Out of the JWKS; kept only for the record.
        case retired
    }

    /// RFC 7638 thumbprint of the public key.
    public var kid: String
    public var state: State
    public var publicKey: [UInt8]
    public var sealedPrivateKey: [UInt8]
    public var createdAt: Int64
    /// When a standby key starts signing.
    public var activatesAt: Int64?
    /// When it stopped signing.
    public var deactivatedAt: Int64?

    public init(
        kid: String, state: State, publicKey: [UInt8], sealedPrivateKey: [UInt8], createdAt: Int64,
        activatesAt: Int64? = nil, deactivatedAt: Int64? = nil
    ) {
        self.kid = kid
        self.state = state
        self.publicKey = publicKey
        self.sealedPrivateKey = sealedPrivateKey
        self.createdAt = createdAt
        self.activatesAt = activatesAt
        self.deactivatedAt = deactivatedAt
    }

    /// Whether tokens signed with it may still be alive, so it belongs in the JWKS.
    public var isPublished: Bool { state != .retired }
}
