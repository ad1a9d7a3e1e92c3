/// Failed logins counted for one email from one client address (or from all of them, `*`).
public struct LoginFailures: Sendable, Equatable {
    public var failures: Int
    /// Until when further attempts are refused (seconds since 1970; 0 when not locked).
    public var lockedUntil: Int64

    public init(failures: Int, lockedUntil: Int64) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

/// The failure records of one login name: under each client address key, and account-wide.
public struct LoginFailureKeys: Sendable {
    public var email: String
    public var ips: [String]

    public init(email: String, ips: [String]) {
        self.email = email
        self.ips = ips
    }
}

/// What to do with one failure record in a transaction over several.
public enum LoginFailuresChange: Sendable, Equatable {
    /// Store this record instead (nil deletes it).
    case replace(LoginFailures?)
    /// Leave the record as it is.
    case keep
}

/// The addresses (address keys) each account logged in from lately: the account-wide
/// throttle never refuses them, so a flood can't lock the owner out of a known device.
public enum LoginAddresses {
    /// Addresses remembered per account, the latest first; older ones are forgotten.
    public static let maximumPerAccount = 32
}
