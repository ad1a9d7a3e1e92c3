import Foundation

/// Where and how to deliver mail, usually parsed from an SMTP URL:
/// `smtp://[user[:password]@]host[:port][?starttls=required]` or
/// `smtps://[user[:password]@]host[:port]`.
///
/// Printing, interpolating or dumping a value never reveals the password.
public struct SMTPServer: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// The server's host name or IP address (without brackets).
    public var host: String
    /// The TCP port (default 587 for `smtp`, 465 for `smtps`).
    public var port: Int
    /// How the connection is protected.
    public var security: SMTPSecurity
    /// The user name for AUTH, if credentials are configured.
    public var username: String?
    /// The password for AUTH; not part of any description.
    var password: String?
    /// A PEM file of CA certificates trusted in addition to the system roots.
    public var extraCAFile: String?
    /// The overall deadline for one `send`, from connecting to the final reply.
    public var timeout: Duration

    /// Parses an SMTP URL; `password`, when given (for example read from a file),
    /// overrides the URL's password. Throws `SMTPConfigurationError`.
    public init(
        url: String,
        password: String? = nil,
        extraCAFile: String? = nil,
        timeout: Duration = .seconds(30)
    ) throws {
        let parsed = try SMTPURLParser.parse(url)
        self.host = parsed.host
        self.port = parsed.port
        self.security = parsed.security
        self.username = parsed.username
        self.password = password ?? parsed.password
        self.extraCAFile = extraCAFile
        self.timeout = timeout
        if self.password != nil && username == nil {
            throw SMTPConfigurationError("a password is given but the URL has no user")
        }
        if username != nil && self.password == nil {
            throw SMTPConfigurationError("the URL has a user but no password is given")
        }
        guard timeout > .zero else {
            throw SMTPConfigurationError("the timeout must be positive")
        }
    }

    /// Reads a password from a file, dropping one trailing newline.
    public static func readPassword(fromFile path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SMTPConfigurationError("cannot read the password file \(path)")
        }
        var text = String(decoding: data, as: UTF8.self)
        if text.last == "\r\n" || text.last == "\n" {
            text.removeLast()
        }
        return text
    }

    /// Whether a user name and password are configured.
    public var hasCredentials: Bool { username != nil && password != nil }

    /// The URL with the password replaced by `***`.
    public var redacted: String {
        var url = security == .implicitTLS ? "smtps://" : "smtp://"
        if let username {
            url += SMTPURLParser.percentEncode(username)
            if password != nil { url += ":***" }
            url += "@"
        }
        url += host.contains(":") ? "[\(host)]" : host
        url += ":\(port)"
        if security == .startTLSRequired { url += "?starttls=required" }
        return url
    }

    public var description: String { redacted }

    public var debugDescription: String {
        "SMTPServer(\(redacted), extraCAFile: \(extraCAFile ?? "none"), timeout: \(timeout))"
    }

    public var customMirror: Mirror {
        Mirror(self, children: ["url": redacted, "extraCAFile": extraCAFile as Any, "timeout": timeout])
    }
}
