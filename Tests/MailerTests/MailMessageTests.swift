import Foundation
import Testing
@testable import Mailer

@Suite("MailMessage rendering")
struct MailMessageTests {
    let date = Date(timeIntervalSince1970: 1_748_944_800)  // Tue, 03 Jun 2025 10:00:00 +0000

    func render(_ message: MailMessage) -> String {
        String(decoding: message.render(), as: UTF8.self)
    }

    @Test func plainMessageHasHeadersAndCRLFLineEndings() throws {
        let message = try MailMessage(from: "noreply@auth.example.com", to: ["alice@example.org", "bob@example.org"],
                                      subject: "Reset your password", text: "Hello\nclick here\n", date: date)
        let text = render(message)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let (headers, body) = MIMEDecoding.split(text)
        #expect(MIMEDecoding.header("From", in: headers) == "noreply@auth.example.com")
        #expect(MIMEDecoding.header("To", in: headers) == "alice@example.org, bob@example.org")
        #expect(MIMEDecoding.header("Subject", in: headers) == "Reset your password")
        #expect(MIMEDecoding.header("Date", in: headers) == "Tue, 03 Jun 2025 10:00:00 +0000")
        #expect(MIMEDecoding.header("MIME-Version", in: headers) == "1.0")
        #expect(MIMEDecoding.header("Content-Type", in: headers) == "text/plain; charset=utf-8")
        #expect(MIMEDecoding.header("Content-Transfer-Encoding", in: headers) == "7bit")  // plain ASCII, short lines: as it is
        let messageID = try #require(MIMEDecoding.header("Message-ID", in: headers))
        #expect(messageID == message.messageID)
        #expect(messageID.wholeMatch(of: /<[0-9a-f]{32}@auth\.example\.com>/) != nil)
        #expect(body == "Hello\r\nclick here\r\n")
    }

    @Test func messageIDsAreUnique() throws {
        let first = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
        let second = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
        #expect(first.messageID != second.messageID)
    }

    @Test func htmlBodyMakesMultipartAlternativeWithTextFirst() throws {
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "Verify",
                                      text: "plain version", html: "<p>html version</p>")
        let (headers, body) = MIMEDecoding.split(render(message))
        let contentType = try #require(MIMEDecoding.header("Content-Type", in: headers))
        let boundary = try #require(contentType.firstMatch(of: /boundary="([^"]+)"/)?.1)
        #expect(contentType.hasPrefix("multipart/alternative;"))
        let parts = body.components(separatedBy: "--\(boundary)")
        #expect(parts.count == 4)
        #expect(parts[1].contains("Content-Type: text/plain; charset=utf-8\r\n"))
        #expect(parts[1].hasSuffix("\r\n\r\nplain version\r\n"))
        #expect(parts[2].contains("Content-Type: text/html; charset=utf-8\r\n"))
        #expect(parts[2].contains("<p>html version</p>"))
        #expect(parts[3] == "--\r\n")
    }

    @Test func nonASCIISubjectIsEncodedPerRFC2047() throws {
        let subject = "Réinitialisez votre mot de passe — ✓ 🔑 " + String(repeating: "é", count: 60)
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: subject, text: "x")
        let (headers, _) = MIMEDecoding.split(render(message))
        #expect(headers.utf8.allSatisfy { $0 < 0x80 })
        let raw = try #require(headers.components(separatedBy: "\r\nDate:").first?
            .components(separatedBy: "Subject: ").last)
        #expect(MIMEDecoding.encodedWords(raw) == subject)
        for line in raw.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
        }
    }

    @Test func longAndNonASCIIBodyIsQuotedPrintable() throws {
        let longLine = String(repeating: "abcdefghij", count: 200) + " trailing "
        let text = "Grüße, ☃\n" + longLine + "\n=sign and tab\t\n"
        let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: text)
        let rendered = render(message)
        #expect(rendered.utf8.allSatisfy { $0 < 0x80 })
        for line in rendered.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 76)
        }
        let (_, body) = MIMEDecoding.split(rendered)
        #expect(body.hasPrefix("Gr=C3=BC=C3=9Fe, =E2=98=83\r\n"))
        #expect(MIMEDecoding.quotedPrintable(body) == text.replacingOccurrences(of: "\n", with: "\r\n"))
    }

    @Test(arguments: [
        "a@b.example\r\nBcc: evil@x.example",
        "a@b.example\nBcc: evil@x.example",
        "<a@b.example>",
        "Alice <a@b.example>",
        "a b@c.example",
        "a@b@c.example",
        "",
        "a@",
        "@b.example",
        "a@b..example",
        "a@-b.example",
        "ä@b.example",
        "a\u{0}@b.example",
    ])
    func invalidAddressesAreRejected(address: String) {
        #expect(throws: MailMessageError.self) {
            try MailMessage(from: address, to: ["c@d.example"], subject: "s", text: "t")
        }
        #expect(throws: MailMessageError.self) {
            try MailMessage(from: "c@d.example", to: ["ok@d.example", address], subject: "s", text: "t")
        }
    }

    @Test(arguments: ["Hi\r\nBcc: evil@x.example", "Hi\nBcc: x", "Hi\rthere", "tab\there"])
    func subjectsWithControlCharactersAreRejected(subject: String) {
        #expect(throws: MailMessageError.self) {
            try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: subject, text: "t")
        }
    }

    @Test func noRecipientsIsRejected() {
        #expect(throws: MailMessageError.self) {
            try MailMessage(from: "a@b.example", to: [], subject: "s", text: "t")
        }
    }
}
