import AuthCrypto

/// Hashes new passwords with argon2id and verifies stored hashes in constant time.
///
/// Slow by design (tens of milliseconds): callers run it on a `HashingPool`, never on an event loop.
public struct PasswordHasher: Sendable, CustomStringConvertible {
    public static let saltLength = 16
    public static let tagLength = 32

    /// The cost of new hashes.
    public let parameters: Argon2Parameters
    /// A hash of a random password at the configured cost. Logins for unknown emails
    /// verify against it, so they cost what a real account costs.
    public let decoyHash: String
    /// Where libsodium's argon2 runs (the token service: its helper processes).
    public let kernel: any Argon2Kernel

    public init(parameters: Argon2Parameters = .default, kernel: any Argon2Kernel = InProcessArgon2Kernel()) throws {
        self.parameters = parameters
        self.kernel = kernel
        self.decoyHash = try Self.makeHash(
            Password(Base64.encode(Sodium.randomBytes(18))), parameters: parameters, kernel: kernel)
    }

    /// Names the cost only: the decoy hash stays out of logs.
    public var description: String { "PasswordHasher(argon2id \(parameters))" }

    /// The PHC string of a new argon2id hash of `password` with a fresh 16-byte salt.
    public func hash(_ password: Password) throws -> String {
        try Self.makeHash(password, parameters: parameters, kernel: kernel)
    }

    static func makeHash(_ password: Password, parameters: Argon2Parameters, kernel: any Argon2Kernel) throws -> String {
        var hash = Argon2Hash(
            variant: .argon2id, parameters: parameters, salt: Sodium.randomBytes(saltLength),
            tag: [UInt8](repeating: 0, count: tagLength))
        hash.tag = try Argon2.tag(for: hash, password: password.bytes, kernel: kernel)
        return hash.phc
    }

    /// Whether `password` matches `stored`, in any format of `PasswordHashScheme`.
    /// An unrecognised or malformed hash never matches. The password as typed (when NFC changed
    /// it) is tried too, but only against hashes this service would replace, imported or
    /// outdated: other systems may have hashed the typed form; ours never did, and a second try
    /// would double the work any attacker can make us do.
    public func verify(_ password: Password, against stored: String) throws -> Bool {
        try PasswordHashScheme.verify(password, against: stored, tryingTypedForm: needsRehash(stored), kernel: kernel)
    }

    /// Whether `stored` should be replaced at the next successful login: another algorithm,
    /// or argon2id at another cost than the configured one.
    public func needsRehash(_ stored: String) -> Bool { Self.needsRehash(stored, cost: parameters) }

    /// Whether `stored` is anything but argon2id at `cost` with a full-length salt and tag.
    public static func needsRehash(_ stored: String, cost: Argon2Parameters) -> Bool {
        guard let hash = Argon2Hash(phc: stored) else { return true }
        return hash.variant != .argon2id || hash.version != 0x13 || hash.parameters != cost
            || hash.salt.count < saltLength || hash.tag.count < tagLength
    }
}
