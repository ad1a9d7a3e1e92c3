import WireFormat

/// The claims of an access token (RFC 9068 §2.2, plus `sid`, the session id).
public struct AccessTokenClaims: Sendable, Equatable {
    /// `iss`: the token service's issuer URL.
    public var issuer: String
    /// `sub`: the account id.
    public var subject: String
    /// `aud`: the service the token is meant for.
    public var audience: String
    /// `exp`, `iat` and `nbf` (optional), in seconds since 1970.
    public var expiresAt: Int64
    public var issuedAt: Int64
    public var notBefore: Int64?
    /// `jti`: unique per token.
    public var tokenID: String
    /// `sid`: the session the token belongs to.
    public var sessionID: String
    /// `client_id`: the OAuth client the token was issued to (RFC 9068 §2.2, required).
    public var clientID: String
    /// `amr`: how the login was authenticated (RFC 8176: `pwd`, `otp`, `mfa`); optional.
    public var authenticationMethods: [String]?

    public init(
        issuer: String, subject: String, audience: String, expiresAt: Int64, issuedAt: Int64,
        notBefore: Int64? = nil, tokenID: String, sessionID: String, clientID: String, authenticationMethods: [String]? = nil
    ) {
        self.issuer = issuer
        self.subject = subject
        self.audience = audience
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.tokenID = tokenID
        self.sessionID = sessionID
        self.clientID = clientID
        self.authenticationMethods = authenticationMethods
    }

    /// The claims as a JSON object, members in a fixed order.
    var json: [UInt8] {
        var writer = JSONObjectWriter()
        writer.add("iss", string: issuer)
        writer.add("sub", string: subject)
        writer.add("aud", string: audience)
        writer.add("exp", integer: expiresAt)
        writer.add("iat", integer: issuedAt)
        if let notBefore { writer.add("nbf", integer: notBefore) }
        writer.add("jti", string: tokenID)
        writer.add("sid", string: sessionID)
        writer.add("client_id", string: clientID)
        if let authenticationMethods {
            writer.add("amr", json: "[" + authenticationMethods.map(JSONText.string).joined(separator: ",") + "]")
        }
        return writer.finish()
    }
}
