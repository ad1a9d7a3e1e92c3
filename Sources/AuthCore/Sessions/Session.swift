/// A login session: one per device or client, with its chain of refresh tokens.
public struct Session: Sendable, Equatable {
    public var id: String
    public var accountID: String
    public var createdAt: Int64
    public var lastUsedAt: Int64
    /// The absolute end, fixed at login.
    public var expiresAt: Int64
    public var endedAt: Int64?
    public var endReason: String?
    /// The generation of the refresh tokens now current; each rotation adds one.
    public var generation: Int64
    /// When `generation` last advanced, in milliseconds: the start of the reuse grace window,
    /// measured finely because the window is only seconds long.
    public var rotatedAtMillis: Int64?
    public var userAgent: String
    public var ip: String
    /// The OAuth client the session was opened for (RFC 9068 `client_id`); refreshes keep it.
    public var clientID: String
    /// How the login was authenticated (RFC 8176 `amr`); refreshes keep it.
    public var authenticationMethods: AuthenticationMethods

    public init(
        id: String, accountID: String, createdAt: Int64, lastUsedAt: Int64, expiresAt: Int64,
        endedAt: Int64? = nil, endReason: String? = nil, generation: Int64 = 0, rotatedAtMillis: Int64? = nil,
        userAgent: String, ip: String, clientID: String = ClientID.default, authenticationMethods: AuthenticationMethods = .password
    ) {
        self.id = id
        self.accountID = accountID
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
        self.endReason = endReason
        self.generation = generation
        self.rotatedAtMillis = rotatedAtMillis
        self.userAgent = userAgent
        self.ip = ip
        self.clientID = clientID
        self.authenticationMethods = authenticationMethods
    }

    /// Whether the session still grants access at `now`, given the idle lifetime.
    public func isActive(at now: Int64, idleTTL: Int64) -> Bool {
        endedAt == nil && now < expiresAt && now < lastUsedAt + idleTTL
    }

    /// When it ends by itself if left alone: the earlier of idle and absolute expiry.
    public func endsAt(idleTTL: Int64) -> Int64 { min(expiresAt, lastUsedAt + idleTTL) }
}

/// How a login was authenticated: the `amr` values (RFC 8176) of its tokens.
public enum AuthenticationMethods: String, Sendable, CaseIterable {
    /// A password alone.
    case password = "pwd"
    /// A password and a TOTP code.
    case passwordAndTOTP = "pwd,otp,mfa"
    /// A password and a recovery code.
    case passwordAndRecoveryCode = "pwd,mfa"

    /// The `amr` claim.
    public var values: [String] { rawValue.split(separator: ",").map(String.init) }
}

/// Why a session ended, as stored and audited.
public enum SessionEndReason: String, Sendable {
    case logout, revoked, refreshTokenReuse = "refresh_token_reuse", passwordChanged = "password_changed"
    case accountDisabled = "account_disabled", passwordReset = "password_reset"
}
