import Foundation
import Testing
@testable import Mailer

@Suite("AUTH PLAIN and LOGIN")
struct AuthTests {
    func message() throws -> MailMessage {
        try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "auth", text: "t")
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func rightCredentialsDeliver(mechanism: String) async throws {
        try await withSink(["--auth", "mailer:p@ss w:rd", "--auth-only", mechanism]) { sink, _ in
            let server = try SMTPServer(url: "smtp://mailer@127.0.0.1:\(sink.port)", password: "p@ss w:rd",
                                        timeout: .seconds(10))
            try await SMTPClient(server: server).send(message())
            let received = try #require(try sink.messages().first)
            #expect(received.authenticated)
        }
    }

    @Test func credentialsInTheURLOverSTARTTLS() async throws {
        try await withSink(["--auth", "mailer:pw"], tls: .startTLS) { sink, cert in
            let server = try SMTPServer(url: "smtp://mailer:pw@localhost:\(sink.port)?starttls=required",
                                        extraCAFile: cert.certificatePath, timeout: .seconds(10))
            try await SMTPClient(server: server).send(message())
            let received = try #require(try sink.messages().first)
            #expect(received.authenticated && received.starttls)
        }
    }

    @Test(arguments: ["PLAIN", "LOGIN"])
    func wrongPasswordFailsPermanentlyWithoutLeakingIt(mechanism: String) async throws {
        try await withSink(["--auth", "mailer:right", "--auth-only", mechanism]) { sink, _ in
            let server = try SMTPServer(url: "smtp://mailer:Wr0ngPass@127.0.0.1:\(sink.port)", timeout: .seconds(10))
            let error = try await #require(throws: SMTPError.self) { try await SMTPClient(server: server).send(message()) }
            #expect(error.kind == .permanent)
            #expect(error.step == .auth)
            #expect(error.replyCode == 535)
            #expect(!error.description.contains("Wr0ngPass"))
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func credentialsWithoutAnOfferedMechanismFailPermanently() async throws {
        try await withSink { sink, _ in
            let server = try SMTPServer(url: "smtp://mailer:pw@127.0.0.1:\(sink.port)", timeout: .seconds(10))
            let error = try await #require(throws: SMTPError.self) { try await SMTPClient(server: server).send(message()) }
            #expect(error.kind == .permanent)
            #expect(error.step == .auth)
            #expect(try sink.messages().isEmpty)
        }
    }
}
