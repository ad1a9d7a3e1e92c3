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
    public let requestVerification: RequestVerification
    public let verifyEmail: VerifyEmail
    public let forgotPassword: ForgotPassword
    public let resetPassword: ResetPassword
    public let changeEmail: ChangeEmail
    public let confirmEmail: ConfirmEmail
    public let enrollTOTP: EnrollTOTP
    public let confirmTOTP: ConfirmTOTP
    public let disableTOTP: DisableTOTP
    public let regenerateRecoveryCodes: RegenerateRecoveryCodes
    public let completeMFALogin: CompleteMFALogin

    /// `mail` writes the messages of the mails the use cases queue; `source`, when set, is the
    /// system accounts move in from at their first login (lazy migration).
    public init(
        store: any AuthStore, settings: AuthSettings, hashing: PasswordHashing, keys: KeyRing, mail: any MailComposer,
        source: (any PasswordSource)? = nil, clock: WallClock = .system, random: RandomSource = .system,
        metrics: AuthMetrics = AuthMetrics()
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
        let tokens = MailedTokens(
            store: store, accounts: store, queue: MailQueue(composer: mail, keys: keys, clock: clock, random: random),
            attempts: attempts, audit: audit, settings: settings, clock: clock, random: random, metrics: metrics)
        let confirm = ConfirmPassword(attempts: attempts, hashing: hashing)
        let challenges = MFAChallenges(store: store, settings: settings, clock: clock, random: random)
        let factors = SecondFactor(store: store, keys: keys, clock: clock)
        loginAttempts = attempts
        signUp = SignUp(
            accounts: store, policy: policy, hashing: hashing, tokens: tokens, audit: audit, clock: clock, random: random)
        logIn = LogIn(
            accounts: store, attempts: attempts, challenges: challenges,
            moveIn: source.map { MoveIn(source: $0, accounts: store, hashing: hashing, audit: audit, clock: clock, random: random) },
            hashing: hashing, issuer: issuer, audit: audit, settings: settings,
            clock: clock, metrics: metrics)
        refresh = Refresh(
            sessions: store, issuer: issuer, audit: audit, settings: settings, clock: clock, random: random, metrics: metrics)
        revoke = Revoke(sessions: store, audit: audit, clock: clock)
        authenticate = Authenticate(
            sessions: store, keys: keys,
            verifier: AccessTokenVerifier(issuer: settings.issuer, audience: settings.audience, cache: VerifiedTokenCache()),
            idleTTL: idleTTL, clock: clock)
        changePassword = ChangePassword(
            accounts: store, confirm: confirm, policy: policy, hashing: hashing, audit: audit, clock: clock)
        logOut = LogOut(sessions: store, audit: audit, clock: clock)
        listSessions = ListSessions(sessions: store, idleTTL: idleTTL, clock: clock)
        endSession = EndSession(sessions: store, audit: audit, idleTTL: idleTTL, clock: clock)
        countLiveSessions = CountLiveSessions(sessions: store, idleTTL: idleTTL, clock: clock)
        reloadKeys = ReloadKeys(store: store, keys: keys, accessTokenTTL: settings.accessTokenTTL, clock: clock)
        purgeExpired = PurgeExpired(
            sessions: store, audit: store, emailTokens: store, outbox: store, mfa: store, settings: settings, clock: clock)
        measureHashCosts = MeasureHashCosts(accounts: store, hashing: hashing)
        requestVerification = RequestVerification(tokens: tokens)
        verifyEmail = VerifyEmail(tokens: tokens)
        forgotPassword = ForgotPassword(tokens: tokens, pacing: ResponsePacing(floor: ForgotPassword.floor))
        resetPassword = ResetPassword(tokens: tokens, failures: store, policy: policy, hashing: hashing)
        changeEmail = ChangeEmail(tokens: tokens, confirm: confirm)
        confirmEmail = ConfirmEmail(tokens: tokens)
        enrollTOTP = EnrollTOTP(store: store, confirm: confirm, keys: keys, settings: settings, clock: clock, random: random)
        confirmTOTP = ConfirmTOTP(factors: factors, attempts: attempts, audit: audit, clock: clock, random: random)
        disableTOTP = DisableTOTP(factors: factors, attempts: attempts, audit: audit, clock: clock)
        regenerateRecoveryCodes = RegenerateRecoveryCodes(factors: factors, attempts: attempts, audit: audit, random: random)
        completeMFALogin = CompleteMFALogin(
            accounts: store, challenges: challenges, factors: factors, attempts: attempts, issuer: issuer, audit: audit,
            settings: settings, metrics: metrics)
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
