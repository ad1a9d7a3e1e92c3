import NIOCore
import Testing
@testable import Mailer

@Suite("Wire encodings")
struct EncodingTests {
    func stuffed(_ text: String) -> String {
        String(decoding: DotStuffing.encode(Array(text.utf8)), as: UTF8.self)
    }

    @Test func dotStuffingDoublesLeadingDotsAndTerminates() {
        #expect(stuffed(".\r\n..\r\n.x\r\na.b\r\n") == "..\r\n...\r\n..x\r\na.b\r\n.\r\n")
        #expect(stuffed(".") == "..\r\n.\r\n")
        #expect(stuffed("") == ".\r\n")
    }

    @Test func dotStuffingNormalizesBareLineBreaks() {
        #expect(stuffed("a\nb\rc\r\n.d\n") == "a\r\nb\r\nc\r\n..d\r\n.\r\n")
    }

    @Test func quotedPrintableKeepsShortASCIIAndEscapesTrailingSpace() {
        #expect(QuotedPrintable.encode("hello world") == "hello world")
        #expect(QuotedPrintable.encode("end \nx\t") == "end=20\r\nx=09")
        #expect(QuotedPrintable.encode("a=b") == "a=3Db")
    }

    @Test func encodedWordLeavesPlainASCIIAlone() {
        #expect(EncodedWord.encodeIfNeeded("Verify your address") == "Verify your address")
        #expect(EncodedWord.encodeIfNeeded("=?x?=").hasPrefix("=?utf-8?B?"))
    }

    @Test func replyLinesAreParsed() throws {
        let last = try SMTPReplyDecoder.parseLine(Array("250 OK".utf8))
        #expect(last.code == 250 && last.isLast && last.text == "OK")
        let continued = try SMTPReplyDecoder.parseLine(Array("250-STARTTLS".utf8))
        #expect(continued.code == 250 && !continued.isLast && continued.text == "STARTTLS")
        let bare = try SMTPReplyDecoder.parseLine(Array("354".utf8))
        #expect(bare.code == 354 && bare.isLast)
        for bad in ["", "25", "OK 250", "650 x", "250_x", "2a0 x"] {
            #expect(throws: SMTPReplyDecoder.MalformedReply.self) {
                try SMTPReplyDecoder.parseLine(Array(bad.utf8))
            }
        }
    }

    @Test func ehloExtensionsAreParsed() {
        let reply = SMTPReply(code: 250, lines: ["mail.example Hello", "starttls", "AUTH login PLAIN", "SIZE 100"])
        #expect(reply.extensions["STARTTLS"] == [])
        #expect(reply.extensions["AUTH"] == ["LOGIN", "PLAIN"])
        let legacy = SMTPReply(code: 250, lines: ["host", "AUTH=LOGIN"])
        #expect(legacy.extensions["AUTH"] == ["LOGIN"])
    }

    @Test func loopbackAddressesAreRecognized() throws {
        #expect(LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "127.0.0.1", port: 25)))
        #expect(LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "127.8.9.10", port: 25)))
        #expect(LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "::1", port: 25)))
        #expect(!LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "10.0.0.1", port: 25)))
        #expect(!LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "128.0.0.1", port: 25)))
        #expect(!LoopbackAddress.isLoopback(try SocketAddress(ipAddress: "2001:db8::1", port: 25)))
        #expect(!LoopbackAddress.isLoopback(nil))
    }

    @Test func errorMessagesAreOneLineAndTruncated() {
        let error = SMTPError(.permanent, step: .rcptTo, replyCode: 550, message: "a\r\nb" + String(repeating: "x", count: 500))
        #expect(!error.description.contains("\n"))
        #expect(error.message.count <= 201)
        #expect(error.description.hasPrefix("SMTP permanent failure at RCPT TO: a  b"))
    }
}
