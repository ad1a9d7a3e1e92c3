/// Throttling of failed logins per email and client address: after `threshold` failures each
/// attempt waits a delay that doubles from `base` up to `maximum` seconds. Never a permanent
/// lock, so an attacker can slow a victim's logins but not lock them out for good.
struct LoginThrottle: Sendable {
    let threshold: Int
    let base: Int64
    let maximum: Int64

    /// Whole seconds until the next attempt is allowed (rounded up), or nil when it is allowed
    /// now; `now` in milliseconds since 1970.
    func retryAfter(_ record: LoginFailures?, now: Int64) -> Int? {
        let second = WallClock.seconds(fromMilliseconds: now)
        guard let record, record.lockedUntil > second else { return nil }
        return Int(max(1, record.lockedUntil - second))
    }

    /// The record after one more failure at `now` (milliseconds since 1970). From the threshold
    /// on it is locked until the delay has passed, rounded up to the whole second the record
    /// keeps: rounded down, a one-second lock set late in a second ended at the next one, and
    /// the next attempt was let through a few milliseconds after the failure.
    func recordingFailure(_ record: LoginFailures?, now: Int64) -> LoginFailures {
        let failures = (record?.failures ?? 0) + 1
        guard failures >= threshold else { return LoginFailures(failures: failures, lockedUntil: 0) }
        let doublings = min(failures - threshold, 62)
        let delay = base > maximum >> doublings ? maximum : min(maximum, base << doublings)
        let lockedFrom = WallClock.seconds(fromMilliseconds: now, roundingUp: true)
        return LoginFailures(failures: failures, lockedUntil: lockedFrom + max(1, delay))
    }

    /// The record once a failure reserved as `reserved` (from `before`) turned out to be no
    /// attempt at all (the check was refused for overload): `before` itself when nothing else
    /// changed the record meanwhile, else one failure fewer, its lock left as it is.
    func releasingFailure(_ current: LoginFailures?, reserved: LoginFailures, before: LoginFailures?) -> LoginFailures? {
        guard let current else { return nil }
        if current == reserved { return before }
        guard current.failures > 1 else { return nil }
        return LoginFailures(failures: current.failures - 1, lockedUntil: current.lockedUntil)
    }
}
