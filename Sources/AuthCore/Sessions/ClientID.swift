/// OAuth client ids (RFC 6749 §2.2): which application a session was opened for, carried in
/// its access tokens as `client_id` (RFC 9068 §2.2) and kept by every refresh.
public enum ClientID {
    /// The id of a token request that names none, unless configured otherwise.
    public static let `default` = "default"
    public static let maximumLength = 64

    /// Whether `id` is 1–64 characters of `[A-Za-z0-9._:-]`.
    public static func isWellFormed(_ id: String) -> Bool {
        (1...maximumLength).contains(id.utf8.count)
            && id.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: ":"),
                    UInt8(ascii: "-"):
                    true
                default: false
                }
            }
    }

    /// The client a token request is for: the one it names, else `settings`' default. A
    /// malformed id is 400 `invalid_request`; with `clients` configured, any other id is 401
    /// `invalid_client`.
    static func resolve(_ requested: String?, settings: AuthSettings) throws -> String {
        let id = requested ?? settings.defaultClientID
        guard isWellFormed(id) else {
            throw AuthError.invalidRequest("client_id must be 1–64 characters of A–Z, a–z, 0–9, '.', '_', ':' or '-'.")
        }
        if let clients = settings.clients, !clients.contains(id) {
            throw AuthError(.invalidClient, "The client is not known.")
        }
        return id
    }
}
