import Hummingbird
import Logging
import NIOCore
import NIOHTTP1

/// Turns every error into the JSON error shape, the framework's own (404, 413, …) included.
/// Nothing a client sends becomes a 5xx
/// unless the server itself failed, and then the body says only that.
struct ErrorResponses: Sendable {
    /// Maps errors of the service's own domain; return nil for errors it doesn't know.
    let mapDomainError: @Sendable (any Error) -> APIError?

    /// The JSON error `error` answers (a 500 that says only that, for an error nobody knows).
    func apiError(for error: any Error, context: ServerRequestContext) -> APIError {
        if let error = error as? APIError { return error }
        if let error = mapDomainError(error) { return error }
        if let error = error as? HTTPError { return Self.frameworkError(error) }
        if error is NIOTooManyBytesError { return Self.frameworkError(HTTPError(.contentTooLarge)) }
        if error is HTTPParserError { return .invalidRequest("The request body is not valid HTTP (bad chunked encoding?).") }
        if error is DecodingError { return .invalidRequest("The request body is not valid JSON of the expected shape.") }
        context.logger.error("unhandled error", metadata: ["error.type": "\(type(of: error))"])
        return APIError(.internalServerError, code: "internal_error", message: "The server failed to handle the request.")
    }

    /// The JSON form of an error raised by the framework itself.
    static func frameworkError(_ error: HTTPError) -> APIError {
        let headers = error.headers
        switch error.status {
        case .notFound: return APIError(.notFound, code: "not_found", message: "Not found.", headers: headers)
        case .methodNotAllowed:
            return APIError(.methodNotAllowed, code: "method_not_allowed", message: "Method not allowed.", headers: headers)
        case .contentTooLarge:
            return APIError(.contentTooLarge, code: "request_too_large", message: "The request body is too large.", headers: headers)
        case .requestHeaderFieldsTooLarge:
            return APIError(
                .requestHeaderFieldsTooLarge, code: "request_header_fields_too_large",
                message: "The request headers are too large.", headers: headers)
        case let status where status.code < 500:
            return APIError(status, code: "invalid_request", message: error.body ?? "The request is invalid.", headers: headers)
        default:
            return APIError(error.status, code: "internal_error", message: "The server failed to handle the request.", headers: headers)
        }
    }
}
