import Foundation
import NIOCore
import NIOPosix
import Testing
@testable import Mailer

@Suite("Failures and hostile servers")
struct FailureTests {
    func message() throws -> MailMessage {
        try MailMessage(from: "a@b.example", to: ["c@d.example"], subject: "s", text: "t")
    }

    func send(port: Int, query: String = "", credentials: String = "", timeout: Duration = .seconds(10)) async throws {
        let server = try SMTPServer(url: "smtp://\(credentials)127.0.0.1:\(port)\(query)", timeout: timeout)
        try await SMTPClient(server: server).send(message())
    }

    @Test(arguments: [(451, "rcpt", SMTPError.Kind.transient, SMTPStep.rcptTo),
                      (550, "rcpt", .permanent, .rcptTo),
                      (452, "data", .transient, .messageContent),
                      (554, "data", .permanent, .messageContent)])
    func rejectionsAreClassifiedByReplyCode(code: Int, at: String, kind: SMTPError.Kind, step: SMTPStep) async throws {
        try await withSink(["--reject", "\(code)", "--reject-at", at]) { sink, _ in
            let error = try await #require(throws: SMTPError.self) { try await send(port: sink.port) }
            #expect(error.kind == kind)
            #expect(error.step == step)
            #expect(error.replyCode == code)
            #expect(error.message.contains("\(code) Rejected by test sink"))
            #expect(try sink.messages().isEmpty)
        }
    }

    @Test func connectionRefusedIsTransient() async throws {
        let listener = try await ScriptedServer(greeting: "")
        let port = listener.port
        try await listener.stop()
        let error = try await #require(throws: SMTPError.self) { try await send(port: port) }
        #expect(error.kind == .transient)
        #expect(error.step == .connect)
    }

    @Test func silentServerTimesOutWithinTheDeadline() async throws {
        let silent = try await ScriptedServer(greeting: "")
        let started = ContinuousClock.now
        let error = try await #require(throws: SMTPError.self) {
            try await send(port: silent.port, timeout: .milliseconds(1500))
        }
        let elapsed = ContinuousClock.now - started
        try await silent.stop()
        #expect(error.kind == .transient)
        #expect(error.step == .greeting)
        #expect(error.message.contains("timed out"))
        // Not before the deadline; and well before the default 30 s (a loaded machine may be slow to wake).
        #expect(elapsed >= .milliseconds(1400) && elapsed < .seconds(15))
    }

    @Test func oversizedReplyLineIsRejected() async throws {
        let hostile = try await ScriptedServer(greeting: "220 " + String(repeating: "x", count: 5000))
        let error = try await #require(throws: SMTPError.self) { try await send(port: hostile.port) }
        try await hostile.stop()
        #expect(error.kind == .transient)
        #expect(error.message.contains("malformed"))
    }

    @Test func endlessMultiLineReplyIsRejected() async throws {
        let hostile = try await ScriptedServer(greeting: String(repeating: "220-spam\r\n", count: 500))
        let error = try await #require(throws: SMTPError.self) { try await send(port: hostile.port) }
        try await hostile.stop()
        #expect(error.message.contains("more than 100 lines"))
    }

    @Test func heloFallbackAndUnansweredQuitStillDeliver() async throws {
        let server = try await ScriptedServer(greeting: "220 old server\r\n", replies: [
            "502 EHLO not implemented\r\n", "250 hello\r\n", "250 sender ok\r\n", "250 rcpt ok\r\n",
            "354 go ahead\r\n", "250 queued\r\n",
        ])
        try await send(port: server.port)
        #expect(server.commands == ["EHLO localhost", "HELO localhost", "MAIL FROM:<a@b.example>",
                                    "RCPT TO:<c@d.example>", "DATA", "QUIT"])
        try await server.stop()
    }

    @Test func requiredSTARTTLSStopsBeforeCredentialsOrMail() async throws {
        let server = try await ScriptedServer(greeting: "220 hi\r\n", replies: [
            "250-hi\r\n250-AUTH PLAIN LOGIN\r\n250 SIZE 100\r\n",
        ])
        let error = try await #require(throws: SMTPError.self) {
            try await send(port: server.port, query: "?starttls=required", credentials: "u:pw@")
        }
        #expect(error.kind == .permanent)
        #expect(error.step == .startTLS)
        #expect(server.commands == ["EHLO localhost"])
        try await server.stop()
    }

    @Test func dataInjectedAfterSTARTTLSReplyIsRefused() async throws {
        let server = try await ScriptedServer(greeting: "220 hi\r\n", replies: [
            "250-hi\r\n250 STARTTLS\r\n", "220 go ahead\r\n250-injected\r\n250 AUTH PLAIN\r\n",
        ])
        let error = try await #require(throws: SMTPError.self) {
            try await send(port: server.port, credentials: "u:pw@")
        }
        #expect(error.step == .startTLS)
        #expect(server.commands == ["EHLO localhost", "STARTTLS"])
        try await server.stop()
    }

    @Test func echoedPasswordIsRedactedFromErrors() async throws {
        let server = try await ScriptedServer(greeting: "220 hi\r\n", replies: [
            "250-hi\r\n250 AUTH PLAIN\r\n", "535 bad password Sup3rSecret\r\n",
        ])
        let error = try await #require(throws: SMTPError.self) {
            try await send(port: server.port, credentials: "u:Sup3rSecret@")
        }
        #expect(error.kind == .permanent)
        #expect(!error.description.contains("Sup3rSecret"))
        #expect(error.description.contains("535 bad password ***"))
        try await server.stop()
    }

    @Test func invalidEnvelopeAddressIsRejectedBeforeConnecting() async throws {
        let server = try SMTPServer(url: "smtp://127.0.0.1:1")
        let error = try await #require(throws: SMTPError.self) {
            try await SMTPClient(server: server).send(Array("x".utf8), from: "a@b.example", to: ["c@d.example>\r\nDATA"])
        }
        #expect(error.kind == .permanent)
        #expect(error.step == .configuration)
    }
}
