/// An invalid server configuration, such as a malformed SMTP URL.
///
/// The message is one line and never contains the password.
public struct SMTPConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A one-line explanation.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "invalid SMTP configuration: \(message)" }
}
