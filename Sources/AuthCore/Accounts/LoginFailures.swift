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
