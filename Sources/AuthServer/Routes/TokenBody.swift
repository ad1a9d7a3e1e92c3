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
