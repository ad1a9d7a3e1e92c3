import AuthCore

/// The token response of RFC 6749 §5.1.
struct TokenBody: Encodable {
    var accessToken: String
    var tokenType = "Bearer"
    var expiresIn: Int64
    var refreshToken: String

    init(_ grant: TokenGrant) {
        accessToken = grant.accessToken
        expiresIn = grant.expiresIn
        refreshToken = grant.refreshToken
    }
}

/// The session shape of the API.
struct SessionBody: Encodable {
    var id: String
    var createdAt: String
    var lastUsedAt: String
    var expiresAt: String
    var userAgent: String
    var ip: String
    var current: Bool

    init(_ session: Session, idleTTL: Int64, currentID: String) {
        id = session.id
        createdAt = Timestamp.rfc3339(session.createdAt)
        lastUsedAt = Timestamp.rfc3339(session.lastUsedAt)
        expiresAt = Timestamp.rfc3339(session.endsAt(idleTTL: idleTTL))
        userAgent = session.userAgent
        ip = session.ip
        current = session.id == currentID
    }
}
