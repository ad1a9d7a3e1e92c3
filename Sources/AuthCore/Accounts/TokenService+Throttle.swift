extension TokenService {
    var throttle: LoginThrottle {
        LoginThrottle(threshold: settings.lockoutThreshold, base: settings.lockoutBase, maximum: settings.lockoutMax)
    }

    /// The account-wide throttle, counting failures from every address under the address `*`.
    var accountThrottle: LoginThrottle {
        LoginThrottle(threshold: settings.lockoutAccountThreshold, base: settings.lockoutBase, maximum: settings.lockoutMax)
    }

    /// The throttling key of a login name: the normalized email, or one shared key for
    /// names that can't be an email, so junk usernames can't fill the table.
    static func throttleKey(_ name: String) -> String {
        (try? Email.normalize(name)) ?? "<not an email>"
    }

    /// Forgets failure records that are unlocked and untouched for a day (or the longest delay, if longer).
    public func purgeStaleLoginFailures() async throws {
        let now = self.now
        try await store.purgeLoginFailures(updatedBefore: now - max(86_400, settings.lockoutMax), now: now)
    }

    /// Runs a password check under the throttle for `key` and `ip`. The attempt is counted
    /// as a failure before the (slow) check runs and forgiven when it succeeds, so attempts
    /// racing in parallel can't slip past the limit; a locked key gets 429 without any check.
    func throttled(key: String, ip: String, _ check: () async throws -> Bool) async throws -> Bool {
        let now = self.now
        for (address, throttle) in [(Self.allAddresses, accountThrottle), (ip, self.throttle)] {
            let before = try await store.updateLoginFailures(email: key, ip: address, now: now) { record in
                throttle.retryAfter(record, now: now) == nil ? throttle.recordingFailure(record, now: now) : record
            }
            if let wait = throttle.retryAfter(before, now: now) {
                throw AuthError(.tooManyAttempts, "Too many failed attempts; retry later.", retryAfter: wait)
            }
        }
        guard try await check() else { return false }
        for address in [Self.allAddresses, ip] {
            try await store.updateLoginFailures(email: key, ip: address, now: self.now) { _ in nil }
        }
        return true
    }

    /// The address under which failures from every address are counted together.
    static let allAddresses = "*"
}
