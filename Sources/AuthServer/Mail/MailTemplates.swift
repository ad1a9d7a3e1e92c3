import AuthCore
import Foundation
import Mailer
import Mustache
import ServerSupport

/// Writes each mail from its Mustache template: built in, or replaced by a file of
/// `AUTH_MAIL_TEMPLATES` (`reset-password.txt`, and optionally `reset-password.html`).
/// The first line of a text template is the subject; the variables are `link`, `email`,
/// `new_email` and `expires_in_minutes`.
struct MailTemplates: MailComposer {
    struct Template: Sendable {
        var text: MustacheTemplate
        var html: MustacheTemplate?
    }

    let from: String
    let templates: [MailPurpose: Template]

    /// The built-in templates, each replaced by its file in `folder` if there is one. Throws one
    /// line naming the file for an unreadable or malformed template, or a file named for no mail.
    init(from: String, folder: String?) throws {
        guard (try? MailMessage(from: from, to: [from], subject: "", text: "")) != nil else {
            throw StartupError.badSetting("AUTH_MAIL_FROM must be a plain address (local@domain), not '\(from)'")
        }
        self.from = from
        var sources = BuiltInTemplates.text.mapValues { (text: $0, html: String?.none) }
        if let folder {
            for (name, kind, source) in try Self.files(in: folder) {
                guard sources[name] != nil else {
                    let names = MailPurpose.allCases.map(\.rawValue).joined(separator: ", ")
                    throw StartupError.badSetting("AUTH_MAIL_TEMPLATES: \(name).\(kind) names no mail (\(names))")
                }
                if kind == "txt" { sources[name]!.text = source } else { sources[name]!.html = source }
            }
        }
        var templates: [MailPurpose: Template] = [:]
        for purpose in MailPurpose.allCases {
            let source = sources[purpose.rawValue]!
            let name = "\(purpose.rawValue).txt"
            guard !Self.splitSubject(source.text).0.isEmpty else {
                throw StartupError.badSetting("AUTH_MAIL_TEMPLATES: \(name) must start with a subject line")
            }
            templates[purpose] = Template(
                text: try Self.parse("{{% CONTENT_TYPE: TEXT}}" + source.text, name: name),
                html: try source.html.map { try Self.parse($0, name: "\(purpose.rawValue).html") })
        }
        self.templates = templates
    }

    func compose(_ content: MailContent) throws -> [UInt8] {
        let template = templates[content.purpose]!
        var values: [String: Any] = ["email": content.email]
        values["new_email"] = content.newEmail
        values["link"] = content.link
        values["expires_in_minutes"] = content.expiresInMinutes
        let text = template.text.render(values)
        let (subject, body) = Self.splitSubject(text)
        return try MailMessage(
            from: from, to: [content.to], subject: subject, text: body, html: template.html?.render(values)
        ).render()
    }

    /// The first line, trimmed, and the rest without the blank lines that open it.
    static func splitSubject(_ text: String) -> (String, String) {
        let lines = text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        let subject = lines.first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
        let body = lines.count > 1 ? String(lines[1].drop { $0 == "\n" || $0 == "\r" }) : ""
        return (subject, body)
    }

    private static func parse(_ source: String, name: String) throws -> MustacheTemplate {
        do {
            return try MustacheTemplate(string: source)
        } catch let error as MustacheTemplate.ParserError {
            throw StartupError.badSetting(
                "AUTH_MAIL_TEMPLATES: \(name) is not a valid Mustache template (line \(error.context.lineNumber): \(error.error))")
        } catch {
            throw StartupError.badSetting("AUTH_MAIL_TEMPLATES: \(name) is not a valid Mustache template")
        }
    }

    /// The `.txt` and `.html` files of `folder`: (name without extension, extension, contents).
    private static func files(in folder: String) throws -> [(String, String, String)] {
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else {
            throw StartupError.badSetting("AUTH_MAIL_TEMPLATES: cannot read the folder \(folder)")
        }
        return try entries.sorted().compactMap { entry -> (String, String, String)? in
            let url = URL(fileURLWithPath: folder).appendingPathComponent(entry)
            guard ["txt", "html"].contains(url.pathExtension) else { return nil }
            guard let data = FileManager.default.contents(atPath: url.path), let source = String(data: data, encoding: .utf8)
            else { throw StartupError.badSetting("AUTH_MAIL_TEMPLATES: cannot read \(entry) as UTF-8 text") }
            return (url.deletingPathExtension().lastPathComponent, url.pathExtension, source)
        }
    }
}
