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
    /// as a failure before the (slow) check runs, so attempts racing in parallel can't slip
    /// past the limit; a locked key gets 429 without any check. After a success the caller
    /// forgives the attempt: `forgive(_:)`, or in the commit that opens the session.
    func throttled(key: String, ip: String, _ check: () async throws -> Bool) async throws -> Bool {
        let now = self.now
        let (accountWide, perAddress) = (accountThrottle, self.throttle)
        let throttle: @Sendable (String) -> LoginThrottle = { $0 == Self.allAddresses ? accountWide : perAddress }
        let keys = Self.failureKeys(key, ip: ip)  // account-wide first: once it locks, no address gets a check
        let before = try await store.updateLoginFailures(email: key, ips: keys.ips, now: now) { address, record in
            throttle(address).retryAfter(record, now: now) == nil
                ? .replace(throttle(address).recordingFailure(record, now: now)) : .stop
        }
        for (record, address) in zip(before, keys.ips) {
            if let wait = throttle(address).retryAfter(record, now: now) {
                throw AuthError(.tooManyAttempts, "Too many failed attempts; retry later.", retryAfter: wait)
            }
        }
        return try await check()
    }

    /// Deletes the failure records of `keys` (after a successful check).
    func forgive(_ keys: LoginFailureKeys) async throws {
        try await store.updateLoginFailures(email: keys.email, ips: keys.ips, now: now) { _, _ in .replace(nil) }
    }

    /// The failure records a login for `key` from `ip` counts in: account-wide, then the address's.
    static func failureKeys(_ key: String, ip: String) -> LoginFailureKeys {
        LoginFailureKeys(email: key, ips: [allAddresses, ip])
    }

    /// The address under which failures from every address are counted together.
    static let allAddresses = "*"
}
