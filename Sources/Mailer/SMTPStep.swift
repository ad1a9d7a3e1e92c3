/// The protocol step of an SMTP transaction, used to locate failures.
public enum SMTPStep: String, Sendable {
    /// Configuring the client (for example loading the CA file).
    case configuration
    /// Opening the TCP connection (including DNS resolution).
    case connect
    /// Waiting for the server's 220 greeting.
    case greeting
    /// The EHLO command.
    case ehlo = "EHLO"
    /// The HELO fallback command.
    case helo = "HELO"
    /// The STARTTLS command.
    case startTLS = "STARTTLS"
    /// The TLS handshake or certificate verification.
    case tls = "TLS handshake"
    /// Authentication (AUTH PLAIN or AUTH LOGIN).
    case auth = "AUTH"
    /// The MAIL FROM command.
    case mailFrom = "MAIL FROM"
    /// A RCPT TO command.
    case rcptTo = "RCPT TO"
    /// The DATA command.
    case data = "DATA"
    /// Sending the message content and waiting for the final reply.
    case messageContent = "message content"
}
