/// A failure a client or admin can cause, with a stable code (RFC 6749 §5.2 style).
///
/// The description is safe to show to the client: it never holds a secret, a hash,
/// SQL, or whether an email exists. The HTTP layer alone maps codes to statuses.
public struct AuthError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case invalidRequest = "invalid_request"
        case invalidGrant = "invalid_grant"
        case accountExists = "account_exists"
        case invalidEmail = "invalid_email"
        case weakPassword = "weak_password"
        case tooManyAttempts = "too_many_attempts"
        /// Asked again too soon (a mail within `AUTH_MAIL_INTERVAL`).
        case tooManyRequests = "too_many_requests"
        case mfaEnabled = "mfa_enabled"
        case invalidCode = "invalid_code"
        /// A system the request depends on (the source of a lazy migration) can't answer.
        case unavailable = "unavailable"
        case overloaded = "overloaded"
        case invalidToken = "invalid_token"
        case notFound = "not_found"
        case invalidClient = "invalid_client"
        case alreadyVerified = "already_verified"
        case emailNotVerified = "email_not_verified"
    }

    public let code: Code
    public let message: String
    /// Seconds after which a retry may succeed (429, 503).
    public let retryAfter: Int?

    public init(_ code: Code, _ message: String, retryAfter: Int? = nil) {
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    public var description: String { "\(code.rawValue): \(message)" }

    public static func invalidRequest(_ message: String) -> AuthError { AuthError(.invalidRequest, message) }
    public static let invalidCredentials = AuthError(.invalidGrant, "The email or password is incorrect.")
    public static let invalidRefreshToken = AuthError(
        .invalidGrant, "The refresh token is invalid, expired, revoked or was already used.")
    public static let invalidToken = AuthError(.invalidToken, "The access token is invalid or expired.")
    public static let missingToken = AuthError(.invalidToken, "An access token is required.")
    public static func overloaded(retryAfter: Int) -> AuthError {
        AuthError(.overloaded, "The server is busy; retry later.", retryAfter: retryAfter)
    }
}
