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
            let boundary = "=_mailer_\(Self.randomHex())"
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

    /// Headers, blank line and quoted-printable body of one text part.
    private static func part(_ body: String, type: String) -> [String] {
        var encoded = QuotedPrintable.encode(body)
        if encoded.hasSuffix("\r\n") { encoded.removeLast() }  // the caller adds the final CRLF
        return [
            "Content-Type: \(type); charset=utf-8",
            "Content-Transfer-Encoding: quoted-printable",
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
