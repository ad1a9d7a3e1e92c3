import AuthCore
import Logging
import Mailer
import ServerSupport

/// The mail parts the configuration asks for: the templates, and an SMTP server or a folder.
struct MailSetup {
    let composer: MailTemplates
    let transport: any MailTransport

    init(_ configuration: ServerConfiguration, logger: Logger) throws {
        let mail = configuration.mail
        let from = mail.sender(issuer: configuration.settings.issuer)
        composer = try mail.templates ?? MailTemplates(from: from, folder: nil)
        if let smtp = mail.smtp {
            transport = SMTPTransport(client: SMTPClient(server: smtp), from: from)
        } else {
            let folder = mail.mailFolder(dataDirectory: configuration.dataDirectory)
            transport = try MailFolderTransport(folder: folder)
            logger.notice("no AUTH_SMTP_URL: mails are written as .eml files", metadata: ["folder": "\(folder)"])
        }
    }
}
