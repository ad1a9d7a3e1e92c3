import WireFormat

/// What an account shows of itself, to its owner over HTTP and to admins in `authctl`:
/// never its hash. Encoded with snake_case keys (`created_at`).
public struct AccountSummary: Encodable, Sendable {
    public var id: String
    public var email: String
    public var emailVerified: Bool
    public var mfaEnabled: Bool
    public var status: String
    public var createdAt: String

    public init(_ account: Account) {
        id = account.id
        email = account.email
        emailVerified = account.emailVerified
        mfaEnabled = account.mfaEnabled
        status = account.status.rawValue
        createdAt = Timestamp.rfc3339(account.createdAt)
    }
}
