/// Why a mail is sent; also the name of its template (`reset-password.txt`).
public enum MailPurpose: String, Sendable, CaseIterable {
    case verifyEmail = "verify-email"
    case resetPassword = "reset-password"
    case confirmEmail = "confirm-email"
    /// The notice to the old address that the account's email is changing (no link).
    case emailChanged = "email-changed"
}

/// What a mail's template may say: the variables `link`, `email`, `new_email`, `expires_in_minutes`.
public struct MailContent: Sendable, Equatable {
    public var purpose: MailPurpose
    /// The recipient.
    public var to: String
    /// The account's email (the old one, for an email change).
    public var email: String
    public var newEmail: String?
    public var link: String?
    public var expiresInMinutes: Int64?

    public init(
        purpose: MailPurpose, to: String, email: String, newEmail: String? = nil, link: String? = nil,
        expiresInMinutes: Int64? = nil
    ) {
        self.purpose = purpose
        self.to = to
        self.email = email
        self.newEmail = newEmail
        self.link = link
        self.expiresInMinutes = expiresInMinutes
    }
}

/// Writes the RFC 5322 message of a mail (the server's templates; AuthCore only says what it is about).
public protocol MailComposer: Sendable {
    func compose(_ content: MailContent) throws -> [UInt8]
}

/// Hands a message to the mail system: an SMTP server, or a folder of `.eml` files.
public protocol MailTransport: Sendable {
    /// Returns once the message is accepted (an SMTP server's 250 to the end of DATA);
    /// throws `MailDeliveryError` otherwise. `mailID` is stable across retries of one mail.
    func deliver(_ message: [UInt8], to recipient: String, mailID: String) async throws
}

/// A delivery that did not happen: `permanent` ones (an SMTP 5xx) are not retried.
public struct MailDeliveryError: Error, Sendable, CustomStringConvertible {
    public var permanent: Bool
    /// One line, naming the step and the server's answer; never a credential or the message.
    public var message: String

    public init(permanent: Bool, _ message: String) {
        self.permanent = permanent
        self.message = message
    }

    public var description: String { message }
}
