/// An admin clears every failed-login record of an account, from every address
/// (`authctl users unlock`); returns how many there were.
public struct UnlockAccount: Sendable {
    let failures: any LoginFailureStore
    let audit: AuditLog
    let actor: ClientInfo

    @discardableResult
    public func callAsFunction(_ account: Account) async throws -> Int {
        let cleared = try await failures.clearLoginFailures(email: account.email)
        try await audit.record(.accountUnlocked, accountID: account.id, email: account.email, client: actor, detail: "\(cleared) records")
        return cleared
    }
}
