/// An admin deletes an account with its sessions (`authctl users delete`); the audit log keeps
/// its record.
public struct DeleteAccount: Sendable {
    let accounts: any AccountStore
    let audit: AuditLog
    let actor: ClientInfo

    public func callAsFunction(_ account: Account) async throws {
        _ = try await accounts.deleteAccount(id: account.id)
        try await audit.record(.accountDeleted, accountID: account.id, email: account.email, client: actor)
    }
}
