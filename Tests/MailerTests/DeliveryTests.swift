import Foundation
import Testing
@testable import Mailer

@Suite("Delivery to a real SMTP server")
struct DeliveryTests {
    @Test func plainDeliveryArrivesIntact() async throws {
        try await withSink { sink, _ in
            let server = try SMTPServer(url: "smtp://127.0.0.1:\(sink.port)", timeout: .seconds(10))
            let message = try MailMessage(from: "noreply@auth.example.com", to: ["alice@example.org", "bob@example.org"],
                                          subject: "Your code: 123456", text: "Code 123456\nBye",
                                          html: "<b>123456</b>")
            try await SMTPClient(server: server).send(message)

            let received = try #require(try sink.messages().first)
            #expect(try sink.messages().count == 1)
            #expect(received.mail_from == "noreply@auth.example.com")
            #expect(received.rcpt_tos == ["alice@example.org", "bob@example.org"])
            #expect(!received.starttls)
            #expect(!received.authenticated)
            #expect(received.data == String(decoding: message.render(), as: UTF8.self))
            let (headers, body) = MIMEDecoding.split(received.data)
            #expect(MIMEDecoding.header("Subject", in: headers) == "Your code: 123456")
            #expect(MIMEDecoding.header("Message-ID", in: headers) == message.messageID)
            #expect(body.contains("Code 123456\r\nBye\r\n"))
        }
    }

    @Test func dotLinesArriveUnchanged() async throws {
        try await withSink { sink, _ in
            let server = try SMTPServer(url: "smtp://127.0.0.1:\(sink.port)", timeout: .seconds(10))
            let content = "Subject: dots\n\n.\n..\n.leading dot\n...three\nend."
            try await SMTPClient(server: server).send(Array(content.utf8), from: "a@b.example", to: ["c@d.example"])

            let received = try #require(try sink.messages().first)
            #expect(received.data == "Subject: dots\r\n\r\n.\r\n..\r\n.leading dot\r\n...three\r\nend.\r\n")
        }
    }

    @Test func startTLSIsUsedWhenOffered() async throws {
        try await withSink(tls: .startTLS) { sink, cert in
            let server = try SMTPServer(url: "smtp://localhost:\(sink.port)", extraCAFile: cert.certificatePath,
                                        timeout: .seconds(10))
            let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "tls", text: "secret body")
            try await SMTPClient(server: server).send(message)

            let received = try #require(try sink.messages().first)
            #expect(received.starttls)
        }
    }

    @Test func requiredSTARTTLSWithoutOfferFailsPermanentlyAndDeliversNothing() async throws {
        try await withSink { sink, _ in
            let server = try SMTPServer(url: "smtp://127.0.0.1:\(sink.port)?starttls=required", timeout: .seconds(10))
            let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
            let error = try await #require(throws: SMTPError.self) { try await SMTPClient(server: server).send(message) }
            #expect(error.kind == .permanent)
            #expect(error.step == .startTLS)
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func implicitTLSDelivers() async throws {
        try await withSink(tls: .implicit) { sink, cert in
            let server = try SMTPServer(url: "smtps://127.0.0.1:\(sink.port)", extraCAFile: cert.certificatePath,
                                        timeout: .seconds(10))
            let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "smtps", text: "t")
            try await SMTPClient(server: server).send(message)
            #expect(try sink.messages().count == 1)
        }
    }

    @Test func untrustedCertificateFailsTransientlyAtTLS() async throws {
        try await withSink(tls: .implicit) { sink, _ in
            let server = try SMTPServer(url: "smtps://localhost:\(sink.port)", timeout: .seconds(10))
            let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
            let error = try await #require(throws: SMTPError.self) { try await SMTPClient(server: server).send(message) }
            #expect(error.kind == .transient)
            #expect(error.step == .tls)
            #expect(error.message.hasPrefix("TLS handshake or certificate verification failed"))
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func untrustedCertificateAfterSTARTTLSFailsBeforeAnyMail() async throws {
        try await withSink(["--auth", "user:pw"], tls: .startTLS) { sink, _ in
            let server = try SMTPServer(url: "smtp://user:pw@127.0.0.1:\(sink.port)", timeout: .seconds(10))
            let message = try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
            let error = try await #require(throws: SMTPError.self) { try await SMTPClient(server: server).send(message) }
            #expect(error.kind == .transient)
            #expect(error.step == .tls, "\(error)")
            #expect(try sink.messages().isEmpty)
        }
    }
}
