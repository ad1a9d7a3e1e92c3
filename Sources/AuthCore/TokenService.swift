import AuthTokens
import Foundation

/// The token service's use cases, each wired to what it uses and nothing more: the one place
/// that builds them from a store, the settings and the shared collaborators. The server's
/// routes and tests call them by name (`service.logIn(email:password:client:)`).
public struct TokenService: Sendable, CustomStringConvertible {
    public let settings: AuthSettings
    public let keys: KeyRing
    public let hashing: PasswordHashing
    /// Readiness and shutdown of the store as a whole.
    public let store: any StoreLifecycle

    public let signUp: SignUp
    public let logIn: LogIn
    public let refresh: Refresh
    public let revoke: Revoke
    public let authenticate: Authenticate
    public let changePassword: ChangePassword
    public let logOut: LogOut
    public let listSessions: ListSessions
    public let endSession: EndSession
    public let countLiveSessions: CountLiveSessions
    public let loginAttempts: LoginAttempts
    public let reloadKeys: ReloadKeys
    public let purgeExpired: PurgeExpired
    public let measureHashCosts: MeasureHashCosts

    public init(
        store: any AuthStore, settings: AuthSettings, hashing: PasswordHashing, keys: KeyRing, clock: WallClock = .system,
        random: RandomSource = .system, metrics: AuthMetrics = AuthMetrics()
    ) {
        self.settings = settings
        self.keys = keys
        self.hashing = hashing
        self.store = store
        let audit = AuditLog(store: store, clock: clock)
        let policy = PasswordPolicy(extraBlocklist: settings.extraBlocklist)
        let attempts = LoginAttempts(store: store, settings: settings, clock: clock)
        let issuer = TokenIssuer(sessions: store, keys: keys, settings: settings, clock: clock, random: random)
        let idleTTL = settings.sessionIdleTTL
        loginAttempts = attempts
        signUp = SignUp(accounts: store, policy: policy, hashing: hashing, audit: audit, clock: clock, random: random)
        logIn = LogIn(
            accounts: store, attempts: attempts, hashing: hashing, issuer: issuer, audit: audit, settings: settings,
            clock: clock, metrics: metrics)
        refresh = Refresh(
            sessions: store, issuer: issuer, audit: audit, settings: settings, clock: clock, random: random, metrics: metrics)
        revoke = Revoke(sessions: store, audit: audit, clock: clock)
        authenticate = Authenticate(
            sessions: store, keys: keys,
            verifier: AccessTokenVerifier(issuer: settings.issuer, audience: settings.audience, cache: VerifiedTokenCache()),
            idleTTL: idleTTL, clock: clock)
        changePassword = ChangePassword(
            accounts: store, attempts: attempts, policy: policy, hashing: hashing, audit: audit, clock: clock)
        logOut = LogOut(sessions: store, audit: audit, clock: clock)
        listSessions = ListSessions(sessions: store, idleTTL: idleTTL, clock: clock)
        endSession = EndSession(sessions: store, audit: audit, idleTTL: idleTTL, clock: clock)
        countLiveSessions = CountLiveSessions(sessions: store, idleTTL: idleTTL, clock: clock)
        reloadKeys = ReloadKeys(store: store, keys: keys, accessTokenTTL: settings.accessTokenTTL, clock: clock)
        purgeExpired = PurgeExpired(sessions: store, audit: store, settings: settings, clock: clock)
        measureHashCosts = MeasureHashCosts(accounts: store, hashing: hashing)
    }

    /// Nothing of its parts: whoever logs a service (the lifecycle does, at trace level) sees no key or hash.
    public var description: String { "TokenService(issuer: \(settings.issuer))" }
}

/// Who is calling: recorded on sessions and used for throttling.
public struct ClientInfo: Sendable {
    public static let maximumUserAgentLength = 512
    public var ip: String
    /// What the client is throttled under: its address, or a network standing for it (the
    /// transport keys an IPv6 client by its /64).
    public var addressKey: String
    public var userAgent: String

    public init(ip: String, userAgent: String, addressKey: String? = nil) {
        self.ip = ip
        self.addressKey = addressKey ?? ip
        self.userAgent = String(userAgent.prefix(Self.maximumUserAgentLength))
    }
}

/// A token response (RFC 6749 §5.1).
public struct TokenGrant: Sendable {
    public var accessToken: String
    public var expiresIn: Int64
    public var refreshToken: String
    public var sessionID: String
}
