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

    /// The JSON `GET /v1/me` answers, keys sorted, written straight into bytes (the same as
    /// encoding it with sorted snake_case keys, at a fraction of the cost).
    public var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.add("created_at", string: createdAt)
        writer.add("email", string: email)
        writer.add("email_verified", json: emailVerified ? "true" : "false")
        writer.add("id", string: id)
        writer.add("mfa_enabled", json: mfaEnabled ? "true" : "false")
        writer.add("status", string: status)
        return writer.finish()
    }
}
