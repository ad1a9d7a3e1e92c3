/// The stored-hash formats this service verifies, recognised from the hash string alone.
public enum PasswordHashScheme: String, Sendable, CaseIterable {
    case argon2id, argon2i, argon2d

    /// The scheme of `hash`, or nil when it is not a well-formed hash of a known format.
    public static func identify(_ hash: String) -> PasswordHashScheme? {
        guard let argon2 = Argon2Hash(phc: hash) else { return nil }
        return PasswordHashScheme(rawValue: argon2.variant.rawValue)
    }

    /// The scheme with its cost, for counts by algorithm and parameters (`argon2id m=65536,t=3,p=1`).
    public static func profile(of hash: String) -> String {
        guard let argon2 = Argon2Hash(phc: hash) else { return "unrecognised" }
        return "\(argon2.variant.rawValue) \(argon2.parameters)"
    }
}
