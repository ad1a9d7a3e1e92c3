/// What the system an account moved in from says of a password (`AUTH_MIGRATE_FROM`).
public enum SourceVerdict: Sendable, Equatable {
    /// The password is right. `id`: the source's id of the user (Cognito's `sub`), if it gave one.
    case accepted(id: String?, emailVerified: Bool)
    /// Wrong password, or no such user there.
    case refused
    /// No answer that says either, within the timeout; `reason` is for the log (never a secret).
    case unavailable(reason: String)
}

/// The system that keeps the hashes of accounts not moved in yet: Cognito, or any HTTP endpoint.
public protocol PasswordSource: Sendable {
    /// `cognito` or `http`: in logs, and in ids derived from the source's non-UUID ids.
    var name: String { get }
    func check(email: String, password: String) async -> SourceVerdict
}
