import Foundation
import Hummingbird
import ServerSupport
import Testing

@testable import AuthServer

@Suite struct ClientLimitsTests {
    @Test func tokenBucketsRefillAtTheirRateAndStayPerClient() {
        let limiter = RateLimiter(perMinute: 60, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == 1)
        #expect(limiter.take("b", now: start) == nil)
        #expect(limiter.take("a", now: start + .seconds(1)) == nil)
    }

    @Test func boundsTheClientsItRemembers() {
        let limiter = RateLimiter(perMinute: 60, burst: 1, maximumClients: 10)
        let start = ContinuousClock.now
        for index in 0..<1_000 { _ = limiter.take("client \(index)", now: start) }
        #expect(limiter.take("client 999", now: start) == 1)  // the newest is still remembered
    }

    @Test func keysIPv6ClientsByTheir64() {
        #expect(AddressKey.of("192.0.2.1") == "192.0.2.1")
        #expect(AddressKey.of("2001:db8:0:1:2:3:4:5") == "2001:db8:0:1::/64")
        #expect(AddressKey.of("2001:DB8:0:1::ffff") == "2001:db8:0:1::/64")
        #expect(AddressKey.of("fe80::1%eth0") == "fe80:0:0:0::/64")
        #expect(AddressKey.of("::ffff:192.0.2.7") == "192.0.2.7")
        #expect(AddressKey.of("") == "" && AddressKey.of("not an address") == "not an address")
    }

    @Test func forgetsOnlyClientsIdleForAWholeGeneration() {
        let limiter = RateLimiter(perMinute: 60, burst: 1, maximumClients: 4)  // generations of 2
        let start = ContinuousClock.now
        #expect(limiter.take("steady", now: start) == nil)
        for index in 0..<10 {
            _ = limiter.take("passer-by \(index)", now: start)
            #expect(limiter.take("steady", now: start) == 1)  // seen every round: never forgotten
        }
    }

    @Test func believesForwardedForOnlyFromTrustedProxies() throws {
        let proxies = try TrustedProxies(["10.0.0.0/8", "::1"])
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: "198.51.100.7, 10.0.0.5") == "198.51.100.7")
        #expect(proxies.clientAddress(peer: "::1", forwardedFor: "203.0.113.1") == "203.0.113.1")
        #expect(proxies.clientAddress(peer: "192.0.2.50", forwardedFor: "198.51.100.7") == "192.0.2.50")
        #expect(proxies.clientAddress(peer: "10.1.2.3", forwardedFor: nil) == "10.1.2.3")
        #expect(throws: StartupError.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: StartupError.self) { try TrustedProxies(["proxy.example"]) }
    }

    @Test func answersCORSOnlyForAllowedOrigins() async throws {
        try await withTokenService({ $0.corsOrigins = ["https://app.example.com"] }) { client in
            let preflight = try await client.send(
                .options, "/v1/token",
                headers: [.origin: "https://app.example.com", .accessControlRequestMethod: "POST"])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(preflight.headers[.accessControlAllowCredentials] == nil)
            let other = try await client.send(.get, "/healthz", headers: [.origin: "https://evil.example"])
            #expect(other.headers[.accessControlAllowOrigin] == nil)
            let allowed = try await client.send(.get, "/healthz", headers: [.origin: "https://app.example.com"])
            #expect(allowed.headers[.accessControlAllowOrigin] == "https://app.example.com")
            // An error too, so that the browser's client can read why.
            let refused = try await client.send(.get, "/v1/me", headers: [.origin: "https://app.example.com"])
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.accessControlAllowOrigin] == "https://app.example.com")
            #expect(refused.headers[.accessControlExposeHeaders]?.contains("WWW-Authenticate") == true)
        }
        var source = try SettingsSource(prefix: "AUTH_", arguments: [], environment: ["AUTH_CORS_ORIGINS": "*"])
        #expect(throws: StartupError.self) { try source.corsOrigins() }
    }

    @Test func signUpTokenAndRevokeAreRateLimitedPerAddress() async throws {
        try await withTokenService({
            $0.rateLimitPerMinute = 1
            $0.rateLimitBurst = 2
        }) { client in
            for _ in 0..<2 { _ = try await client.send(.post, "/v1/revoke", form: "token=x") }
            let limited = try await client.send(.post, "/v1/token", form: "grant_type=password")
            #expect(limited.status == .tooManyRequests && limited.error == "too_many_requests")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            #expect(try await client.send(.get, "/healthz").status == .ok)  // other endpoints are not limited
        }
    }
}
