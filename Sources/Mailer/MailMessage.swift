import Foundation

/// An RFC 5322 message with a UTF-8 plain-text body and an optional HTML alternative.
///
/// Addresses are bare `local@domain`; they are used both in the headers and as the
/// SMTP envelope. Construction throws `MailMessageError` for anything that could
/// inject headers (CR or LF in an address or the subject) or is not a plain address.
public struct MailMessage: Sendable {
    /// The sender address (header `From` and envelope `MAIL FROM`).
    public let from: String
    /// The recipient addresses (header `To` and envelope `RCPT TO`).
    public let to: [String]
    /// The subject, unencoded.
    public let subject: String
    /// The plain-text body.
    public let text: String
    /// The optional HTML body, sent as `multipart/alternative` after the text.
    public let html: String?
    /// The `Date` header value.
    public let date: Date
    /// The `Message-ID` header value, including angle brackets.
    public let messageID: String
    /// The MIME boundary, fixed at creation so that `render()` is deterministic.
    private let boundary: String

    /// Creates a message, validating addresses and the subject.
    public init(from: String, to: [String], subject: String, text: String, html: String? = nil, date: Date = Date()) throws {
        try MailAddress.validate(from)
        guard !to.isEmpty else { throw MailMessageError("a message needs at least one recipient") }
        for address in to { try MailAddress.validate(address) }
        guard !subject.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw MailMessageError("the subject must not contain CR, LF or other control characters")
        }
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.date = date
        self.messageID = "<\(Self.randomHex())@\(MailAddress.domain(of: from))>"
        self.boundary = "=_mailer_\(Self.randomHex())"
    }

    /// The complete message: headers and MIME body, CRLF line endings, no line over 998 octets.
    public func render() -> [UInt8] {
        var lines = [
            "From: \(from)",
            "To: " + to.joined(separator: ",\r\n "),
            "Subject: " + EncodedWord.encodeIfNeeded(subject),
            "Date: " + RFC5322Date.format(date),
            "Message-ID: \(messageID)",
            "MIME-Version: 1.0",
        ]
        if let html {
            lines += [
                "Content-Type: multipart/alternative; boundary=\"\(boundary)\"",
                "",
                "--\(boundary)",
            ]
            lines += Self.part(text, type: "text/plain")
            lines.append("--\(boundary)")
            lines += Self.part(html, type: "text/html")
            lines.append("--\(boundary)--")
        } else {
            lines += Self.part(text, type: "text/plain")
        }
        return Array((lines.joined(separator: "\r\n") + "\r\n").utf8)
    }

    /// Headers, blank line and body of one text part: as it is (7bit) when it is plain ASCII in
    /// lines of at most 998 octets, so links stay readable in the raw message; quoted-printable otherwise.
    private static func part(_ body: String, type: String) -> [String] {
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map { $0.hasSuffix("\r") ? $0.dropLast() : $0 }
        let plain = lines.allSatisfy { line in
            line.utf8.count <= 998 && line.utf8.allSatisfy { (0x20...0x7E).contains($0) || $0 == 0x09 }
        }
        var encoded = plain ? lines.joined(separator: "\r\n") : QuotedPrintable.encode(body)
        while encoded.hasSuffix("\r\n") { encoded.removeLast() }  // the caller adds the final CRLF
        return [
            "Content-Type: \(type); charset=utf-8",
            "Content-Transfer-Encoding: \(plain ? "7bit" : "quoted-printable")",
            "",
            encoded,
        ]
    }

    private static func randomHex() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in
            let hex = String(generator.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}
