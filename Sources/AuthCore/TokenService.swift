import AuthTokens
import Foundation

/// The token service's use cases over their dependencies. Each use case lives in its
/// own file as an extension (`TokenService+LogIn.swift`, …); the server wires one instance.
public struct TokenService: Sendable, CustomStringConvertible {
    public let store: any AuthStore
    public let settings: AuthSettings
    public let hasher: PasswordHasher
    public let hashingPool: HashingPool
    public let keys: KeyRing
    public let policy: PasswordPolicy
    public let clock: Clock
    public let metrics: any ServiceMetrics
    /// Pads failed logins to the slowest stored hash's cost.
    public let pacing = FailurePacing()
    let verifier: AccessTokenVerifier

    public init(
        store: any AuthStore, settings: AuthSettings, hasher: PasswordHasher, hashingPool: HashingPool, keys: KeyRing,
        clock: @escaping Clock = { Date() }, metrics: any ServiceMetrics = NoMetrics()
    ) {
        self.metrics = metrics
        self.store = store
        self.settings = settings
        self.hasher = hasher
        self.hashingPool = hashingPool
        self.keys = keys
        self.policy = PasswordPolicy(extraBlocklist: settings.extraBlocklist)
        self.clock = clock
        self.verifier = AccessTokenVerifier(issuer: settings.issuer, audience: settings.audience, cache: VerifiedTokenCache())
    }

    var now: Int64 { clock().unixSeconds }

    /// Nothing of its parts: whoever logs a service (the lifecycle does, at trace level) sees no key or hash.
    public var description: String { "TokenService(issuer: \(settings.issuer))" }

    /// Loads due key rotations and the published keys; the server calls it every few seconds.
    public func reloadKeys() async throws {
        let now = self.now
        try await keys.reload(from: store, now: now, retireBefore: now - settings.accessTokenTTL - AccessTokenVerifier.maximumLeeway)
    }
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
