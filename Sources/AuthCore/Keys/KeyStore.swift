/// The persistence signing keys need. Which key moves to which state is decided in the domain
/// (`KeyRotation`); the store applies a set of changes all or nothing.
public protocol KeyStore: Sendable {
    /// Every key, oldest first.
    func signingKeys() async throws -> [SigningKey]
    func insertSigningKey(_ key: SigningKey) async throws
    /// Applies every change in one transaction, each only if its key is still in the state it
    /// expects; if any is not (another node or `authctl` got there first), none is. Returns whether applied.
    func applyKeyChanges(_ changes: [SigningKeyChange]) async throws -> Bool
}

/// One key's move from one state to another.
public struct SigningKeyChange: Sendable, Equatable {
    public var kid: String
    public var from: SigningKey.State
    public var to: SigningKey.State
    /// Set when the key stops signing (leaves `current`) or is retired without having signed.
    public var deactivatedAt: Int64?

    public init(kid: String, from: SigningKey.State, to: SigningKey.State, deactivatedAt: Int64?) {
        self.kid = kid
        self.from = from
        self.to = to
        self.deactivatedAt = deactivatedAt
    }
}
