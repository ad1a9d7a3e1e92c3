/// Throttling of failed logins per email and client IP: after `threshold` failures each
/// attempt waits a delay that doubles from `base` up to `maximum` seconds. Never a permanent
/// lock, so an attacker can slow a victim's logins but not lock them out for good.
struct LoginThrottle: Sendable {
    let threshold: Int
    let base: Int64
    let maximum: Int64

    /// Seconds until the next attempt is allowed, or nil when it is allowed now.
    func retryAfter(_ record: LoginFailures?, now: Int64) -> Int? {
        guard let record, record.lockedUntil > now else { return nil }
        return Int(max(1, record.lockedUntil - now))
    }

    /// The record after one more failure at `now`.
    func recordingFailure(_ record: LoginFailures?, now: Int64) -> LoginFailures {
        let failures = (record?.failures ?? 0) + 1
        guard failures >= threshold else { return LoginFailures(failures: failures, lockedUntil: 0) }
        let doublings = min(failures - threshold, 62)
        let delay = base > maximum >> doublings ? maximum : min(maximum, base << doublings)
        return LoginFailures(failures: failures, lockedUntil: now + max(1, delay))
    }
}
