/// An account as stored.
public struct Account: Sendable, Equatable {
    public enum Status: String, Sendable { case active, disabled }

    /// Lowercase UUID; the `sub` of every token, so it survives export and import.
    public var id: String
    /// Trimmed and lowercased.
    public var email: String
    public var status: Status
    /// A PHC or other standard hash string; never leaves the service except through `authctl export`.
    /// nil: the account moved in from a system that keeps its hashes and awaits its first login
    /// (checked against that system) or a password reset.
    public var passwordHash: String?
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Whether the owner proved the email by following a mailed link (or the import said so).
    public var emailVerified: Bool
    /// Whether a confirmed TOTP factor guards the password (kept by the MFA store).
    public var mfaEnabled: Bool

    public init(
        id: String, email: String, status: Status, passwordHash: String?, createdAt: Int64, updatedAt: Int64,
        emailVerified: Bool = false, mfaEnabled: Bool = false
    ) {
        self.id = id
        self.email = email
        self.status = status
        self.passwordHash = passwordHash
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.emailVerified = emailVerified
        self.mfaEnabled = mfaEnabled
    }
}
