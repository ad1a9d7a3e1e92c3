/// An admin enables a disabled account (`authctl users enable`).
public struct EnableAccount: Sendable {
    let accounts: any AccountStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    public func callAsFunction(_ account: Account) async throws {
        _ = try await accounts.setStatus(accountID: account.id, status: .active, ending: .none, now: clock.seconds)
        try await audit.record(.accountEnabled, accountID: account.id, email: account.email, client: actor)
    }
}
