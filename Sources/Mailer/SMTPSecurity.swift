/// How the connection to the server is protected.
public enum SMTPSecurity: Sendable, Equatable {
    /// `smtp://`: upgrade with STARTTLS when the server offers it, otherwise stay in plain text.
    case startTLSWhenOffered
    /// `smtp://...?starttls=required`: fail permanently unless the server offers STARTTLS.
    case startTLSRequired
    /// `smtps://`: TLS from the start of the connection (implicit TLS).
    case implicitTLS
}
