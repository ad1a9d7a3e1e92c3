/// A failure to deliver a message, classified so callers know whether to retry.
///
/// `transient` errors (4xx replies, network failures, timeouts, TLS handshake or
/// certificate failures, malformed replies) may succeed on a later attempt.
/// `permanent` errors (5xx replies, security policy violations, bad configuration)
/// will not succeed without a change. The message is a single line that names the
/// step and, where there is one, the server's reply; it never contains the password
/// or the message body.
public struct SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Whether retrying later may succeed.
    public enum Kind: String, Sendable {
        /// Retrying later may succeed.
        case transient
        /// Retrying will not succeed without a change.
        case permanent
    }

    /// The kind of failure.
    public let kind: Kind
    /// The protocol step during which the failure happened.
    public let step: SMTPStep
    /// The server's reply code, when the failure is a server reply.
    public let replyCode: Int?
    /// A one-line human-readable explanation.
    public let message: String

    /// Whether retrying later may succeed.
    public var isTransient: Bool { kind == .transient }

    /// Creates an error; `message` is flattened to one line and truncated.
    public init(_ kind: Kind, step: SMTPStep, replyCode: Int? = nil, message: String) {
        self.kind = kind
        self.step = step
        self.replyCode = replyCode
        self.message = Self.oneLine(message)
    }

    public var description: String {
        "SMTP \(kind.rawValue) failure at \(step.rawValue): \(message)"
    }

    /// Replaces control characters with spaces and truncates to `limit` characters.
    static func oneLine(_ text: String, limit: Int = 200) -> String {
        let cleaned = String(String.UnicodeScalarView(text.unicodeScalars.map {
            $0.properties.generalCategory == .control ? " " : $0
        }))
        guard cleaned.count > limit else { return cleaned }
        return String(cleaned.prefix(limit)) + "…"
    }
}
