import AuthCore
import Mailer

/// Delivery to the SMTP server of `AUTH_SMTP_URL`: a 4xx answer, a refused connection or a
/// timeout is retried later; a 5xx answer fails the mail.
struct SMTPTransport: MailTransport {
    let client: SMTPClient
    let from: String

    func deliver(_ message: [UInt8], to recipient: String, mailID: String) async throws {
        do {
            try await client.send(message, from: from, to: [recipient])
        } catch let error as SMTPError {
            throw MailDeliveryError(permanent: !error.isTransient, error.description)
        }
    }
}
