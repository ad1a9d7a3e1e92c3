/// Failed logins counted for one email from one client IP.
public struct LoginFailures: Sendable, Equatable {
    public var failures: Int
    /// Until when further attempts are refused (seconds since 1970; 0 when not locked).
    public var lockedUntil: Int64

    public init(failures: Int, lockedUntil: Int64) {
        self.failures = failures
        self.lockedUntil = lockedUntil
    }
}

/// The failure records of one login name: under each client address and account-wide.
public struct LoginFailureKeys: Sendable {
    public var email: String
    public var ips: [String]

    public init(email: String, ips: [String]) {
        self.email = email
        self.ips = ips
    }
}

/// What to do with one failure record while walking several in a transaction.
public enum LoginFailuresChange: Sendable {
    /// Store this record instead (nil deletes it) and go on to the next.
    case replace(LoginFailures?)
    /// Leave this record and the rest as they are.
    case stop
}
