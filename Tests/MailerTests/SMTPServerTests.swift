import Foundation
import Testing
@testable import Mailer

@Suite("SMTPServer URL parsing")
struct SMTPServerTests {
    @Test func plainURLUsesSubmissionPortAndOpportunisticSTARTTLS() throws {
        let server = try SMTPServer(url: "smtp://mail.example.com")
        #expect(server.host == "mail.example.com")
        #expect(server.port == 587)
        #expect(server.security == .startTLSWhenOffered)
        #expect(server.username == nil)
        #expect(!server.hasCredentials)
        #expect(server.timeout == .seconds(30))
    }

    @Test func implicitTLSURLWithPercentEncodedCredentials() throws {
        let server = try SMTPServer(url: "smtps://us%40er:p%3As%2Fw%25rd@Mail.Example.com")
        #expect(server.port == 465)
        #expect(server.security == .implicitTLS)
        #expect(server.username == "us@er")
        #expect(server.password == "p:s/w%rd")
    }

    @Test func requiredSTARTTLSAndExplicitPort() throws {
        let server = try SMTPServer(url: "smtp://user:pw@mail.example.com:2525?starttls=required")
        #expect(server.port == 2525)
        #expect(server.security == .startTLSRequired)
    }

    @Test func bracketedIPv6Host() throws {
        let server = try SMTPServer(url: "smtp://[::1]:25/")
        #expect(server.host == "::1")
        #expect(server.port == 25)
        #expect(server.redacted == "smtp://[::1]:25")
    }

    @Test func separatePasswordOverridesURLPassword() throws {
        let server = try SMTPServer(url: "smtp://user:old@host", password: "new", extraCAFile: "/ca.pem",
                                    timeout: .seconds(5))
        #expect(server.password == "new")
        #expect(server.extraCAFile == "/ca.pem")
        #expect(server.timeout == .seconds(5))
    }

    @Test func passwordIsReadFromFileWithoutTrailingNewline() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        try "s3cret pass\n".write(toFile: directory.path("pw"), atomically: true, encoding: .utf8)
        #expect(try SMTPServer.readPassword(fromFile: directory.path("pw")) == "s3cret pass")
        #expect(throws: SMTPConfigurationError.self) {
            try SMTPServer.readPassword(fromFile: directory.path("missing"))
        }
    }

    @Test func descriptionsNeverContainThePassword() throws {
        let server = try SMTPServer(url: "smtp://user:hunter2@mail.example.com?starttls=required")
        #expect(server.redacted == "smtp://user:***@mail.example.com:587?starttls=required")
        var dumped = ""
        dump(server, to: &dumped)
        for text in [server.description, server.debugDescription, "\(server)", String(reflecting: server), dumped] {
            #expect(!text.contains("hunter2"))
        }
        #expect(server.debugDescription.contains("***"))
    }

    @Test(arguments: [
        "http://user:secret@host",
        "smtp:/user:secret@host",
        "user:secret@host",
        "smtp://user:secret@",
        "smtp://user:secret@:25",
        "smtp://user:secret@host:0",
        "smtp://user:secret@host:65536",
        "smtp://user:secret@host:12a",
        "smtp://user:secret",
        "smtp://user:secret@host?starttls=maybe",
        "smtp://user:secret@host?secret=1",
        "smtps://user:secret@host?starttls=required",
        "smtp://user:secret@host/path",
        "smtp://user:secret@host#frag",
        "smtp://user:sec%zzret@host",
        "smtp://user:secret@ho st",
        "smtp://user:secret@[::1",
        "smtp://:secret@host",
        "smtp://user@host",
    ])
    func invalidURLsThrowWithoutLeakingThePassword(url: String) {
        do {
            _ = try SMTPServer(url: url)
            Issue.record("expected \(url) to be rejected")
        } catch let error as SMTPConfigurationError {
            #expect(!error.description.contains("secret"))
            #expect(!error.description.contains("\n"))
        } catch {
            Issue.record("unexpected error type \(error)")
        }
    }

    @Test func passwordWithoutUserIsRejected() {
        #expect(throws: SMTPConfigurationError.self) {
            try SMTPServer(url: "smtp://host", password: "pw")
        }
    }
}
