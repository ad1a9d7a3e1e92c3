import AuthCore
import Foundation
import Mailer
import ServerSupport

/// Where the token service's mail goes, and what it looks like: the `AUTH_SMTP_*` and
/// `AUTH_MAIL_*` settings that are not the use cases' own (those are in `AuthSettings`).
struct MailConfiguration: Sendable {
    /// The SMTP server; nil: mails become `.eml` files in `folder`.
    var smtp: SMTPServer?
    /// `AUTH_MAIL_DIR`; nil: `mail/` beside the database.
    var folder: String?
    /// `AUTH_MAIL_FROM`; nil: `no-reply@` + the issuer's host.
    var from: String?
    /// `AUTH_MAIL_TEMPLATES`: Mustache files replacing built-in templates.
    var templatesFolder: String?
    /// The templates, checked while the settings are read; nil: the built-in ones, built at start.
    var templates: MailTemplates?

    init() {}

    /// Reads the mail settings, the use cases' into `settings`; throws one line naming the first
    /// bad one, never a password.
    init(_ source: inout SettingsSource, settings: inout AuthSettings) throws {
        settings.verifyOnSignUp = try source.choice("AUTH_VERIFY_ON_SIGNUP", default: "true", among: ["true", "false"], help: "mail a verification link at sign-up") == "true"
        settings.requireVerifiedEmail = try source.choice(
            "AUTH_REQUIRE_VERIFIED_EMAIL", default: "false", among: ["true", "false"], help: "refuse the password grant (403) until the email is verified") == "true"
        settings.verifyTTL = try source.integer("AUTH_VERIFY_TTL", default: settings.verifyTTL, in: 1...31_622_400, help: "lifetime of verification and email-change links, seconds")
        settings.resetTTL = try source.integer("AUTH_RESET_TTL", default: settings.resetTTL, in: 1...31_622_400, help: "lifetime of password-reset links, seconds")
        settings.mailInterval = try source.integer("AUTH_MAIL_INTERVAL", default: settings.mailInterval, in: 1...31_622_400, help: "at most one mail of a purpose per account in this many seconds")
        settings.mailRetryFor = try source.integer("AUTH_MAIL_RETRY_FOR", default: settings.mailRetryFor, in: 1...31_622_400, help: "seconds undelivered mail is retried before it fails")
        settings.mailLinkURL = try source.optionalString("AUTH_MAIL_LINK_URL", absent: "the issuer", help: "base URL of mailed links")
        if let link = settings.mailLinkURL {
            guard let url = URL(string: link), ["http", "https"].contains(url.scheme), url.host != nil, url.query == nil,
                url.fragment == nil
            else { throw StartupError.badSetting("AUTH_MAIL_LINK_URL must be an http or https URL without query or fragment") }
        }
        from = try source.optionalString("AUTH_MAIL_FROM", absent: "no-reply@ + the issuer's host", help: "sender of mails")
        templatesFolder = try source.optionalString("AUTH_MAIL_TEMPLATES", absent: "built-in templates", help: "folder of Mustache templates replacing the built-in ones")
        folder = try source.optionalString("AUTH_MAIL_DIR", absent: "mail/ next to the database", help: "folder mails are written to without AUTH_SMTP_URL")
        let url = try source.optionalString("AUTH_SMTP_URL", absent: "mails written to AUTH_MAIL_DIR", help: "smtp://[user[:password]@]host[:port][?starttls=required] or smtps://…")
        let passwordFile = try source.optionalString("AUTH_SMTP_PASSWORD_FILE", help: "file holding the SMTP password")
        let caFile = try source.optionalString("AUTH_SMTP_CA_FILE", help: "PEM file of a CA to trust for the SMTP server")
        if let url {
            do {
                let password = try passwordFile.map(SMTPServer.readPassword(fromFile:))
                smtp = try SMTPServer(url: url, password: password, extraCAFile: caFile)
            } catch {
                throw StartupError.badSetting("AUTH_SMTP_URL: \(error)")
            }
            if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                throw StartupError.badSetting("AUTH_SMTP_CA_FILE: cannot read \(caFile)")
            }
        } else if passwordFile != nil || caFile != nil {
            throw StartupError.badSetting("AUTH_SMTP_PASSWORD_FILE and AUTH_SMTP_CA_FILE need AUTH_SMTP_URL")
        }
        templates = try MailTemplates(from: sender(issuer: settings.issuer), folder: templatesFolder)
    }

    /// The sender address for `issuer`.
    func sender(issuer: String) -> String {
        from ?? "no-reply@" + (URL(string: issuer)?.host ?? "localhost")
    }

    /// The `.eml` folder: `mail/` in `dataDirectory` unless set.
    func mailFolder(dataDirectory: String) -> String {
        folder ?? URL(fileURLWithPath: dataDirectory).appendingPathComponent("mail").path
    }
}
