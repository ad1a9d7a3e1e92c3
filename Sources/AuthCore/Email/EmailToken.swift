/// A token mailed to prove an address: 256 random bits in the link, only its SHA-256 stored
/// (as refresh tokens), single use, expiring, one live per account and purpose.
public struct EmailToken: Sendable, Equatable {
    public enum Purpose: String, Sendable {
        case verifyEmail = "verify_email", resetPassword = "reset_password", changeEmail = "change_email"

        /// The mail that carries a token of this purpose.
        var mail: MailPurpose {
            switch self {
            case .verifyEmail: .verifyEmail
            case .resetPassword: .resetPassword
            case .changeEmail: .confirmEmail
            }
        }
    }

    public var hash: [UInt8]
    public var accountID: String
    public var purpose: Purpose
    /// Where the mail went. A verify or reset token holds only while the account still has this
    /// email; an email-change token carries the new one.
    public var email: String
    public var createdAt: Int64
    public var expiresAt: Int64

    public init(hash: [UInt8], accountID: String, purpose: Purpose, email: String, createdAt: Int64, expiresAt: Int64) {
        self.hash = hash
        self.accountID = accountID
        self.purpose = purpose
        self.email = email
        self.createdAt = createdAt
        self.expiresAt = expiresAt
    }
}

/// What using a token does to its account, in the commit that spends the token.
public enum EmailTokenUse: Sendable, Equatable {
    /// The email is proven.
    case verifyEmail
    /// The new password hash; the email counts as proven, reset tokens are void, every session ends.
    case resetPassword(hash: String)
    /// The account takes the token's email, proven; `account_exists` if it is taken meanwhile.
    case changeEmail
}

/// The persistence of mailed tokens, and the outbox their mails enter in the same commit.
public protocol EmailTokenStore: Sendable {
    /// In one commit: replaces the account's token of `token.purpose` by `token` and queues
    /// `mails`, unless the account has a token of that purpose issued after `issuedAfter`:
    /// then nothing changes and the answer is false.
    func issue(_ token: EmailToken, queueing mails: [OutgoingMail], unlessIssuedAfter issuedAfter: Int64) async throws -> Bool
    /// The stored token with this hash, expired or not.
    func emailToken(hash: [UInt8]) async throws -> EmailToken?
    /// In one commit: deletes `token` and applies `use` to its account. False, with nothing
    /// changed, when the token is gone (used or replaced), expired by `now`, or a verify or reset
    /// token whose account no longer has the token's email.
    func redeem(_ token: EmailToken, _ use: EmailTokenUse, now: Int64) async throws -> Bool
    /// Deletes up to `limit` tokens expired before `expiredBefore`; returns how many.
    func purgeEmailTokens(expiredBefore: Int64, limit: Int) async throws -> Int
}
