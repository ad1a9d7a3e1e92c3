import WireFormat

/// What a session shows of itself, to its owner over HTTP and to admins in `authctl`.
/// Encoded with snake_case keys; `current` only when the reader has a session of their own.
public struct SessionSummary: Encodable, Sendable {
    public var id: String
    public var createdAt: String
    public var lastUsedAt: String
    public var expiresAt: String
    public var userAgent: String
    public var ip: String
    public var clientId: String
    public var current: Bool?

    /// `endsAt`: when the session ends if left alone, as far as the reader knows.
    public init(_ session: Session, endsAt: Int64, current: Bool? = nil) {
        id = session.id
        createdAt = Timestamp.rfc3339(session.createdAt)
        lastUsedAt = Timestamp.rfc3339(session.lastUsedAt)
        expiresAt = Timestamp.rfc3339(endsAt)
        userAgent = session.userAgent
        ip = session.ip
        clientId = session.clientID
        self.current = current
    }
}
