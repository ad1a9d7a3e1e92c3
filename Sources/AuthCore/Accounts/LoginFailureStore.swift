/// The persistence the login throttle needs: failure records per email and address, and the
/// addresses each account logged in from lately. The throttle's rules stay in the domain
/// (`LoginThrottle`); the store reads and writes records in one transaction.
public protocol LoginFailureStore: Sendable {
    /// Reads the records of `email` under each of `ips` and applies the change `decide` returns
    /// for each, in one transaction (one commit on the login path). Returns the records as they were.
    @discardableResult
    func updateLoginFailures(
        email: String, ips: [String], now: Int64,
        _ decide: @escaping @Sendable ([LoginFailures?]) -> [LoginFailuresChange]
    ) async throws -> [LoginFailures?]
    /// Deletes records not locked any more and untouched since `updatedBefore`.
    func purgeLoginFailures(updatedBefore: Int64, now: Int64) async throws
    /// Deletes every failure record of `email`, under every address; returns how many there were.
    func clearLoginFailures(email: String) async throws -> Int
    /// Whether the account with `email` logged in successfully from `address` at or after `since`.
    func hasLoggedIn(email: String, from address: String, since: Int64) async throws -> Bool
    /// Forgets login addresses last used before `before`.
    func purgeLoginAddresses(before: Int64) async throws
}
