/// `POST /v1/email/change`: after the password, mails a confirmation link to the new address
/// and a notice without link to the current one. The account keeps its email until the link
/// is followed (`ConfirmEmail`). A wrong password counts as a failed login (`ConfirmPassword`).
public struct ChangeEmail: Sendable {
    let tokens: MailedTokens
    let confirm: ConfirmPassword

    public func callAsFunction(_ principal: Principal, newEmail rawEmail: String, password: String, client: ClientInfo)
        async throws
    {
        let newEmail = try Email.normalize(rawEmail)
        let account = principal.account
        try await confirm(password, of: account, client: client)
        if try await tokens.accounts.account(email: newEmail) != nil {
            throw AuthError(.accountExists, "An account with this email already exists.")
        }
        let notice = MailContent(purpose: .emailChanged, to: account.email, email: account.email, newEmail: newEmail)
        let mailed = try await tokens.send(.changeEmail, for: account, to: newEmail, notices: [notice])
        try await tokens.audit.record(
            .emailChangeRequested, accountID: account.id, email: account.email, client: client,
            detail: "to \(newEmail)" + (mailed ? "" : ", nothing mailed (interval)"))
    }
}
