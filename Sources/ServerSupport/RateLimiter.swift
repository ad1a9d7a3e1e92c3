import Foundation
import Synchronization

/// Per-client token buckets: each client may make `burst` requests at once and `perMinute`
/// on average. Memory is bounded: past `maximumClients`, buckets that have refilled (and so
/// carry no information) are forgotten first, then the oldest.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    public let perMinute: Int
    public let burst: Int
    private let maximumClients: Int
    private let buckets = Mutex<[String: Bucket]>([:])

    public init(perMinute: Int, burst: Int, maximumClients: Int = 100_000) {
        self.perMinute = perMinute
        self.burst = burst
        self.maximumClients = maximumClients
    }

    /// Takes one token for `client`; nil when allowed, else the whole seconds until a token is back.
    public func take(_ client: String, now: ContinuousClock.Instant = .now) -> Int? {
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            var bucket = buckets[client] ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = Double((now - bucket.updated).components.seconds)
                + Double((now - bucket.updated).components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + elapsed * rate)
            bucket.updated = now
            guard bucket.tokens >= 1 else {
                buckets[client] = bucket
                return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            bucket.tokens -= 1
            if buckets[client] == nil && buckets.count >= maximumClients { evict(&buckets, now: now, rate: rate) }
            buckets[client] = bucket
            return nil
        }
    }

    private func evict(_ buckets: inout [String: Bucket], now: ContinuousClock.Instant, rate: Double) {
        let full = Double(burst) / rate
        buckets = buckets.filter { Double((now - $0.value.updated).components.seconds) < full }
        if buckets.count >= maximumClients, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
            buckets[oldest.key] = nil
        }
    }
}
