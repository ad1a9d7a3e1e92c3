import AuthCore
import Foundation
import ServerSupport
import Testing

@testable import AuthServer

@Suite struct MailTemplatesTests {
    let content = MailContent(
        purpose: .resetPassword, to: "ada@example.com", email: "ada@example.com",
        link: "https://app.example/reset-password?token=abc&x=<y>", expiresInMinutes: 60)

    func folder(_ files: [String: String]) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("templates-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for (name, text) in files { try text.write(to: url.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return url.path
    }

    func message(_ templates: MailTemplates) throws -> String {
        String(decoding: try templates.compose(content), as: UTF8.self)
    }

    @Test func builtInTemplatesFillEveryVariableWithoutEscapingText() throws {
        let text = try message(MailTemplates(from: "no-reply@example.com", folder: nil))
        #expect(text.contains("Subject: Reset your password\r\n"))
        #expect(text.contains("From: no-reply@example.com\r\n") && text.contains("To: ada@example.com\r\n"))
        let body = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
        #expect(body.contains("https://app.example/reset-password?token=abc&x=<y>"))
        #expect(body.contains("60 minutes"))
        #expect(!body.contains("{{"))
    }

    @Test func aFolderReplacesATemplateByNameAndAnHTMLTwinAddsAPart() throws {
        let path = try folder([
            "reset-password.txt": "Hi {{email}}\nGo to {{link}} within {{expires_in_minutes}} min.\n",
            "reset-password.html": "<p><a href=\"{{link}}\">reset</a></p>\n",
            "notes.md": "ignored",
        ])
        let text = try message(MailTemplates(from: "no-reply@example.com", folder: path))
        #expect(text.contains("Subject: Hi ada@example.com\r\n"))
        #expect(text.contains("multipart/alternative") && text.contains("text/html"))
        let body = text.replacingOccurrences(of: "=\r\n", with: "").replacingOccurrences(of: "=3D", with: "=")
        #expect(body.contains("&amp;x=&lt;y&gt;"))  // escaped in HTML only
        #expect(body.contains("Go to https://app.example/reset-password?token=abc&x=<y> within 60 min."))
    }

    @Test(arguments: [
        ["reset-password.txt": "Hi {{#email}}\nunclosed section"],
        ["reset-passwrd.txt": "Typo\nbody"],
        ["verify-email.txt": "\nno subject line"],
    ])
    func aBadTemplateStopsTheStartNamingTheFile(_ files: [String: String]) throws {
        let path = try folder(files)
        do {
            _ = try MailTemplates(from: "no-reply@example.com", folder: path)
            Issue.record("accepted \(files)")
        } catch let error as StartupError {
            #expect(error.exitCode == 64 && error.description.contains(files.keys.first!), "\(error)")
        }
    }
}
