import AuthCore
import Hummingbird
import ServerSupport

extension AuthError {
    /// The HTTP form of a domain error: the one place codes meet statuses.
    var apiError: APIError {
        switch code {
        case .invalidRequest, .invalidGrant, .invalidCode: return APIError(.badRequest, code: code.rawValue, message: message)
        case .emailNotVerified: return APIError(.forbidden, code: code.rawValue, message: message)
        case .accountExists, .alreadyVerified, .mfaEnabled: return APIError(.conflict, code: code.rawValue, message: message)
        case .invalidEmail, .weakPassword: return APIError(.unprocessableContent, code: code.rawValue, message: message)
        case .tooManyAttempts, .tooManyRequests:
            return .retryLater(.tooManyRequests, code: code.rawValue, message: message, after: retryAfter ?? 1)
        case .overloaded, .unavailable:
            return .retryLater(.serviceUnavailable, code: code.rawValue, message: message, after: retryAfter ?? 1)
        case .invalidToken: return .unauthorized(tokenPresented: self != .missingToken)
        case .notFound: return APIError(.notFound, code: code.rawValue, message: message)
        case .invalidClient: return APIError(.unauthorized, code: code.rawValue, message: message)
        }
    }
}
