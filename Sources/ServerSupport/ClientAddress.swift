import Foundation
import HTTPTypes
import Hummingbird

/// Which peers are reverse proxies whose `X-Forwarded-For` is believed. Any other peer's
/// header is ignored, so a client can't pick the address it is throttled under.
public struct TrustedProxies: Sendable {
    private let addresses: Set<String>
    private let networks: [(base: UInt32, mask: UInt32)]

    /// Exact addresses (IPv4 or IPv6) and IPv4 networks (`10.0.0.0/8`); throws on a bad entry.
    public init(_ list: [String]) throws {
        var addresses: Set<String> = []
        var networks: [(UInt32, UInt32)] = []
        for entry in list.map({ $0.trimmingCharacters(in: .whitespaces) }).filter({ !$0.isEmpty }) {
            if let slash = entry.firstIndex(of: "/") {
                guard let base = Self.ipv4(String(entry[..<slash])), let bits = Int(entry[entry.index(after: slash)...]),
                    (0...32).contains(bits)
                else { throw StartupError.badSetting("AUTH_TRUSTED_PROXIES: '\(entry)' is not an IPv4 network") }
                let mask: UInt32 = bits == 0 ? 0 : ~0 << (32 - UInt32(bits))
                networks.append((base & mask, mask))
            } else {
                guard Self.ipv4(entry) != nil || entry.contains(":") else {
                    throw StartupError.badSetting("AUTH_TRUSTED_PROXIES: '\(entry)' is not an IP address")
                }
                addresses.insert(entry.lowercased())
            }
        }
        self.addresses = addresses
        self.networks = networks
    }

    public static let none = try! TrustedProxies([])

    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    public func contains(_ address: String) -> Bool {
        if addresses.contains(address.lowercased()) { return true }
        guard let value = Self.ipv4(address) else { return false }
        return networks.contains { value & $0.mask == $0.base }
    }

    /// The client's address: the peer's, or, behind trusted proxies, the rightmost
    /// `X-Forwarded-For` entry that is not itself a trusted proxy.
    public func clientAddress(peer: String, forwardedFor: String?) -> String {
        guard let forwardedFor, contains(peer) else { return peer }
        let hops = forwardedFor.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        return hops.reversed().first { !contains($0) } ?? hops.first ?? peer
    }

    static func ipv4(_ text: String) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard part.count <= 3, let byte = UInt8(part) else { return nil }
            value = value << 8 | UInt32(byte)
        }
        return value
    }
}

/// A `RateLimiter` per client (its `AddressKey`) on the POSTs of some routes: 429
/// `too_many_requests` with `Retry-After` once a client's bucket is empty. The route is the one
/// the router matched, not the path as sent, so `/v1/token/` or `//v1/token` are limited too.
public struct RouteRateLimit: Sendable {
    let limiter: RateLimiter
    let routes: Set<String>

    public init(limiter: RateLimiter, routes: Set<String>) {
        self.limiter = limiter
        self.routes = routes
    }

    /// Throws 429 when `request` is a limited POST and its client's bucket is empty.
    func check(_ request: Request, context: ServerRequestContext) throws {
        if request.method == .post, let route = context.endpointPath, routes.contains(route),
            let wait = limiter.take(context.clientAddressKey)
        {
            throw APIError.retryLater(
                .tooManyRequests, code: "too_many_requests", message: "Too many requests from this address; retry later.",
                after: wait)
        }
    }
}
