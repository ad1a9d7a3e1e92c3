/// `authctl users mfa-reset`: an admin turns an account's second factor off (a lost phone
/// and lost recovery codes), audited. False when it had none.
public struct ResetMFA: Sendable {
    let store: any MFAStore
    let audit: AuditLog
    let actor: ClientInfo
    let clock: WallClock

    @discardableResult
    public func callAsFunction(_ account: Account) async throws -> Bool {
        guard try await store.removeTOTP(accountID: account.id, now: clock.seconds) else { return false }
        try await audit.record(.mfaReset, accountID: account.id, email: account.email, client: actor)
        return true
    }
}
