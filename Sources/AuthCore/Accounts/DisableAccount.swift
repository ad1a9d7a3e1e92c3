/// An admin disables an account (`authctl users disable`): its sessions end in the same commit,
/// and it can't log in until enabled again.
public struct DisableAccount: Sendable {
    let accounts: any AccountStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    public func callAsFunction(_ account: Account) async throws {
        _ = try await accounts.setStatus(accountID: account.id, status: .disabled, ending: .all(.accountDisabled), now: clock.seconds)
        try await audit.record(.accountDisabled, accountID: account.id, email: account.email, client: actor)
    }
}
