/// Mails and redeems the tokens of links: what verification, reset and email change share.
struct MailedTokens: Sendable {
    let store: any EmailTokenStore
    let accounts: any AccountStore
    let queue: MailQueue
    let attempts: LoginAttempts
    let audit: AuditLog
    let settings: AuthSettings
    let clock: WallClock
    let random: RandomSource
    let metrics: AuthMetrics

    /// Mails a new token of `purpose` for `account` to `address`, with `notices` (mails without
    /// a link), all queued in the token's commit; the account's earlier token of the purpose is
    /// void. False, with nothing sent, when the account was mailed one less than
    /// `AUTH_MAIL_INTERVAL` ago. 422 `invalid_email` when no mail can be written to the address
    /// (one our mail system can't carry, such as a non-ASCII one).
    func send(
        _ purpose: EmailToken.Purpose, for account: Account, to address: String, notices: [MailContent] = []
    ) async throws -> Bool {
        let now = clock.seconds
        let (token, hash) = random.opaqueToken()
        let ttl = purpose == .resetPassword ? settings.resetTTL : settings.verifyTTL
        let mailPurpose = purpose.mail
        let content = MailContent(
            purpose: mailPurpose, to: address, email: account.email, newEmail: purpose == .changeEmail ? address : nil,
            link: "\(settings.mailLinkBase)/\(mailPurpose.rawValue)?token=\(token)", expiresInMinutes: (ttl + 59) / 60)
        let mails: [OutgoingMail]
        do {
            mails = try ([content] + notices).map { try queue.prepare($0, accountID: account.id) }
        } catch {
            throw AuthError.unmailable
        }
        let issued = try await store.issue(
            EmailToken(hash: hash, accountID: account.id, purpose: purpose, email: address, createdAt: now, expiresAt: now + ttl),
            queueing: mails, unlessIssuedAfter: now - settings.mailInterval)
        if issued { mails.forEach { metrics.mail("queued", purpose: $0.purpose) } }
        return issued
    }

    /// `send`, but false for an address no mail can be written to: an account created or
    /// imported with one still signs up, and `forgot` answers as for any other.
    func sendUnlessUnmailable(_ purpose: EmailToken.Purpose, for account: Account, to address: String) async throws -> Bool {
        do {
            return try await send(purpose, for: account, to: address)
        } catch let error as AuthError where error == .unmailable {
            return false
        }
    }

    /// The live token `presented` for `purpose`, with its active account. Checked under the
    /// throttle of the caller's address: a wrong token counts as a failed login, and once the
    /// address is throttled even a right one waits (429).
    func find(_ presented: String, for purpose: EmailToken.Purpose, client: ClientInfo) async throws -> (EmailToken, Account) {
        var found: (EmailToken, Account)?
        let valid = try await attempts.attemptMailedToken(client: client) {
            found = try await lookUp(presented, for: purpose)
            return found != nil
        }
        guard valid, let found else {
            try await audit.record(.emailTokenRefused, client: client, detail: purpose.rawValue)
            throw AuthError.invalidMailedToken
        }
        return found
    }

    private func lookUp(_ presented: String, for purpose: EmailToken.Purpose) async throws -> (EmailToken, Account)? {
        guard OpaqueToken.isWellFormed(presented),
            let token = try await store.emailToken(hash: OpaqueToken.hash(presented)),
            token.purpose == purpose, token.expiresAt > clock.seconds,
            let account = try await accounts.account(id: token.accountID), account.status == .active,
            purpose == .changeEmail || account.email == token.email
        else { return nil }
        return (token, account)
    }

    /// Spends `token`, applying `use`; a token spent or replaced meanwhile is `invalid_grant`.
    func redeem(_ token: EmailToken, _ use: EmailTokenUse) async throws {
        guard try await store.redeem(token, use, now: clock.seconds) else { throw AuthError.invalidMailedToken }
    }
}

extension AuthError {
    static let unmailable = AuthError(.invalidEmail, "Mail can't be sent to this address.")
    static let invalidMailedToken = AuthError(.invalidGrant, "The link is invalid, expired or was already used.")
}
