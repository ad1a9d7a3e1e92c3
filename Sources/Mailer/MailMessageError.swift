/// A message that cannot be composed safely, such as an address or subject that
/// would allow header injection.
public struct MailMessageError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A one-line explanation.
    public let message: String

    init(_ message: String) {
        self.message = message
    }

    public var description: String { "invalid mail message: \(message)" }
}
