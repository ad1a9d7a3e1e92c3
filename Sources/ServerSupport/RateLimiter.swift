import Foundation
import Synchronization

/// Per-client token buckets: each client may make `burst` requests at once and `perMinute`
/// on average. Memory is bounded without ever scanning the buckets under the lock: buckets
/// live in two generations; when the current one holds `maximumClients / 2`, it becomes the
/// previous one and the previous one is dropped (outside the lock). A client seen in either
/// generation keeps its bucket, so only clients idle for a whole generation are forgotten.
public final class RateLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    struct Generations {
        var current: [String: Bucket] = [:]
        var previous: [String: Bucket] = [:]
    }

    public let perMinute: Int
    public let burst: Int
    private let generationSize: Int
    private let buckets = Mutex(Generations())

    public init(perMinute: Int, burst: Int, maximumClients: Int = 100_000) {
        self.perMinute = perMinute
        self.burst = burst
        self.generationSize = max(1, maximumClients / 2)
    }

    /// Takes one token for `client`; nil when allowed, else the whole seconds until a token is back.
    public func take(_ client: String, now: ContinuousClock.Instant = .now) -> Int? {
        let rate = Double(perMinute) / 60
        var dropped: [String: Bucket] = [:]
        defer { dropped.removeAll() }  // frees a dropped generation after the lock is released
        return buckets.withLock { generations in
            var bucket =
                generations.current[client] ?? generations.previous.removeValue(forKey: client)
                ?? Bucket(tokens: Double(burst), updated: now)
            let elapsed = now - bucket.updated
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            bucket.tokens = min(Double(burst), bucket.tokens + seconds * rate)
            bucket.updated = now
            let wait: Int?
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                wait = nil
            } else {
                wait = max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            if generations.current[client] == nil && generations.current.count >= generationSize {
                dropped = generations.previous
                generations.previous = generations.current
                generations.current = [:]
            }
            generations.current[client] = bucket
            return wait
        }
    }
}
