/// Password checks under the login throttle (`LoginThrottle`): per email and client address,
/// and account-wide for addresses the account has not logged in from lately.
public struct LoginAttempts: Sendable {
    let store: any LoginFailureStore
    let settings: AuthSettings
    let clock: WallClock

    public init(store: any LoginFailureStore, settings: AuthSettings, clock: WallClock) {
        self.store = store
        self.settings = settings
        self.clock = clock
    }

    var perAddress: LoginThrottle {
        LoginThrottle(threshold: settings.lockoutThreshold, base: settings.lockoutBase, maximum: settings.lockoutMax)
    }

    /// The account-wide throttle, counting failures from every address under the address `*`.
    var accountWide: LoginThrottle {
        LoginThrottle(threshold: settings.lockoutAccountThreshold, base: settings.lockoutBase, maximum: settings.lockoutMax)
    }

    /// The throttling key of a login name: the normalized email, or one shared key for
    /// names that can't be an email, so junk usernames can't fill the table.
    static func key(_ name: String) -> String {
        (try? Email.normalize(name)) ?? notAnEmail
    }

    /// The one key of every login name that can't be an email.
    static let notAnEmail = "<not an email>"

    /// Runs a password check under the throttle for `key` from `client`.
    ///
    /// The attempt is counted as a failure before the (slow) check runs, so attempts racing in
    /// parallel can't slip past the limit; a locked record gets 429 without any check, and a
    /// refused attempt counts nowhere. Two records count: the address's own and, unless the
    /// account logged in from this address within a session's lifetime, the account-wide one.
    /// So a flood from a few addresses locks those addresses (and stops counting once they are
    /// locked), while the owner's known addresses never meet the account-wide limit.
    /// A check refused for overload, or with the source of a lazy migration unavailable (503),
    /// takes its reservation back: it was no attempt.
    /// Returns the attempt when the check passed (the caller forgives its records: `forgive(_:)`,
    /// or in the commit that opens the session; or takes it back: `takeBack(_:)`), nil when it failed.
    func attempt(key: String, client: ClientInfo, _ check: () async throws -> Bool) async throws -> PassedAttempt? {
        let known = try await store.hasLoggedIn(email: key, from: client.addressKey, since: clock.seconds - settings.sessionTTL)
        let reservation = try await reserve(Self.failureKeys(key, client: client, known: known))
        do {
            return try await check() ? PassedAttempt(reservation: reservation) : nil
        } catch let error as AuthError where error.code == .overloaded || error.code == .unavailable {
            try await takeBack(reservation)
            throw error
        }
    }

    /// Runs the check of a token from a mailed link under the throttle of the caller's address
    /// (no account-wide record: the token names no account until it is found). A wrong token
    /// counts as a failed login from the address; a right one takes its reservation back.
    func attemptMailedToken(client: ClientInfo, _ check: () async throws -> Bool) async throws -> Bool {
        let reservation = try await reserve(LoginFailureKeys(email: Self.mailedTokens, ips: [client.addressKey]))
        guard try await check() else { return false }
        try await takeBack(reservation)
        return true
    }

    /// An attempt whose check passed.
    struct PassedAttempt: Sendable {
        fileprivate let reservation: Reservation
        /// The failure records it counted in.
        var keys: LoginFailureKeys { reservation.keys }
    }

    /// Counts a passed attempt as no attempt at all, leaving earlier failures in place: a right
    /// password that still waits for its second factor.
    func takeBack(_ attempt: PassedAttempt) async throws {
        try await takeBack(attempt.reservation)
    }

    /// An attempt counted in advance: the records as they were, and the throttle of each.
    fileprivate struct Reservation: Sendable {
        var keys: LoginFailureKeys
        var throttles: [LoginThrottle]
        var before: [LoginFailures?]
        /// When it was counted, in milliseconds since 1970.
        var now: Int64
    }

    /// Counts an attempt in each of `keys`' records, or throws 429 when one of them is locked
    /// (then counting nowhere).
    private func reserve(_ keys: LoginFailureKeys) async throws -> Reservation {
        let now = clock.milliseconds, second = WallClock.seconds(fromMilliseconds: now)
        let throttles = keys.ips.map { $0 == Self.allAddresses ? accountWide : perAddress }
        let before = try await store.updateLoginFailures(email: keys.email, ips: keys.ips, now: second) { records in
            let locked = zip(throttles, records).contains { $0.retryAfter($1, now: now) != nil }
            return zip(throttles, records).map { locked ? .keep : .replace($0.recordingFailure($1, now: now)) }
        }
        if let wait = zip(throttles, before).compactMap({ $0.retryAfter($1, now: now) }).max() {
            throw AuthError(.tooManyAttempts, "Too many failed attempts; retry later.", retryAfter: wait)
        }
        return Reservation(keys: keys, throttles: throttles, before: before, now: now)
    }

    /// Takes back the failure a reservation counted (restored exactly when nothing else touched the record).
    private func takeBack(_ reservation: Reservation) async throws {
        let throttles = reservation.throttles, before = reservation.before
        let reserved = zip(throttles, before).map { $0.recordingFailure($1, now: reservation.now) }
        let second = WallClock.seconds(fromMilliseconds: reservation.now)
        try await store.updateLoginFailures(email: reservation.keys.email, ips: reservation.keys.ips, now: second) { records in
            zip(throttles.indices, records).map { index, current in
                .replace(throttles[index].releasingFailure(current, reserved: reserved[index], before: before[index]))
            }
        }
    }

    /// Deletes the failure records of `keys` (after a successful check).
    func forgive(_ keys: LoginFailureKeys) async throws {
        try await store.updateLoginFailures(email: keys.email, ips: keys.ips, now: clock.seconds) { $0.map { _ in .replace(nil) } }
    }

    /// Forgets failure records unlocked and untouched for a day (or the longest delay, if
    /// longer), and login addresses older than a session's lifetime.
    public func purgeStale() async throws {
        let now = clock.seconds
        try await store.purgeLoginFailures(updatedBefore: now - max(86_400, settings.lockoutMax), now: now)
        try await store.purgeLoginAddresses(before: now - settings.sessionTTL)
    }

    /// The failure records a login for `key` from `client` counts in: the address's own, then,
    /// from an address the account has not logged in from lately, the account-wide one.
    static func failureKeys(_ key: String, client: ClientInfo, known: Bool) -> LoginFailureKeys {
        LoginFailureKeys(email: key, ips: known ? [client.addressKey] : [client.addressKey, allAddresses])
    }

    /// The address under which failures from every address are counted together.
    static let allAddresses = "*"
    /// The name wrong tokens from mailed links are counted under, per address.
    static let mailedTokens = "<mailed token>"
}
