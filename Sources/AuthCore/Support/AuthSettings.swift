import AuthTokens
import Foundation

/// Everything the token service's use cases need to know about their deployment.
/// Built by the server or CLI from the environment; AuthCore itself reads none.
public struct AuthSettings: Sendable {
    /// `iss` of issued tokens.
    public var issuer = "http://127.0.0.1:8080"
    /// `aud` of issued tokens.
    public var audience = "listings"
    /// Access-token lifetime. Short, because other services can't see revocation (RFC 9068 §6 advice).
    public var accessTokenTTL: Int64 = 900
    /// `alg` of issued tokens.
    public var jwsAlgorithm: JWSAlgorithm = .edDSA
    /// A session unused this long ends (OWASP session guidance: bound idle time).
    public var sessionIdleTTL: Int64 = 1_209_600
    /// A session ends this long after login, used or not.
    public var sessionTTL: Int64 = 2_592_000
    /// How long after a rotation the just-rotated refresh token may be exchanged again,
    /// for clients that refresh from two tabs at once.
    public var refreshGrace: Int64 = 10
    /// argon2id cost of new hashes (RFC 9106 §4 second recommendation, OWASP minimum).
    public var argon2 = Argon2Parameters.default
    /// Failed logins per account and IP before throttling starts.
    public var lockoutThreshold = 5
    /// First and longest throttling delay, seconds; the delay doubles in between.
    public var lockoutBase: Int64 = 1
    public var lockoutMax: Int64 = 900
    /// Failed logins for one account from all addresses together before it is throttled
    /// everywhere: slows guessing spread over many addresses, never locks for good.
    public var lockoutAccountThreshold = 50
    /// The `client_id` of a token request that names none.
    public var defaultClientID = ClientID.default
    /// The client ids token requests may name; nil allows any well-formed one.
    public var clients: Set<String>?
    /// Days after which ended sessions, their refresh tokens and used refresh tokens are purged
    /// (data minimisation, GDPR art. 5(1)(e)); at least a session's lifetime, so reuse of a
    /// token is always recognised while its session could still be alive.
    public var retentionDays: Int64 = 90
    /// Days audit events are kept: a year, the span most audit standards ask for.
    public var auditRetentionDays: Int64 = 365
    /// Whether sign-up mails a verification link.
    public var verifyOnSignUp = true
    /// Whether the password grant refuses (403 `email_not_verified`) an account whose email isn't proven.
    public var requireVerifiedEmail = false
    /// Lifetime of verification and email-change links, seconds.
    public var verifyTTL: Int64 = 86_400
    /// Lifetime of password-reset links, seconds: short, as OWASP's forgot-password guidance asks.
    public var resetTTL: Int64 = 3_600
    /// At most one mail of a purpose per account in this many seconds.
    public var mailInterval: Int64 = 60
    /// Where mailed links point (the page that posts the token back); nil: the issuer.
    public var mailLinkURL: String?
    /// How long undelivered mail is retried before it is failed, seconds.
    public var mailRetryFor: Int64 = 86_400
    /// How long an `mfa_token` (a login waiting for its second factor) lives, seconds.
    public var mfaTokenTTL: Int64 = 300
    /// The issuer an authenticator app shows for TOTP; nil: the issuer's host.
    public var totpIssuer: String?
    /// Extra forbidden passwords, lowercased, from the operator's file.
    public var extraBlocklist: Set<String> = []

    public init() {}

    /// The issuer name of `otpauth` URIs.
    public var totpIssuerName: String {
        totpIssuer ?? URLComponents(string: issuer)?.host ?? issuer
    }

    /// The base of mailed links, without a trailing slash.
    var mailLinkBase: String {
        var base = mailLinkURL ?? issuer
        while base.hasSuffix("/") { base.removeLast() }
        return base
    }
}
