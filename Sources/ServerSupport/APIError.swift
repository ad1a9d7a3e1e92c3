import Foundation
import Hummingbird

/// An error answered as `{"error": code, "error_description": message}` (RFC 6749 §5.2 style),
/// with the status and headers given. Every error either server sends takes this shape.
public struct APIError: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    public let code: String
    public let message: String
    public var headers: HTTPFields

    public init(_ status: HTTPResponse.Status, code: String, message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.code = code
        self.message = message
        self.headers = headers
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The JSON response of this error.
    public func response() -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: jsonBody))
    }

    /// `{"error": …, "error_description": …}`.
    var jsonBody: ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]  // byte-identical bodies for identical errors
        return ByteBuffer(bytes: try! encoder.encode(["error": code, "error_description": message]))
    }

    public static func invalidRequest(_ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_request", message: message)
    }

    public static func notFound(_ message: String = "Not found.") -> APIError {
        APIError(.notFound, code: "not_found", message: message)
    }

    /// 401 per RFC 6750 §3: `error="invalid_token"` only when a token was presented.
    public static func unauthorized(tokenPresented: Bool) -> APIError {
        let challenge = tokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer"
        return APIError(
            .unauthorized, code: "invalid_token",
            message: tokenPresented ? "The access token is invalid or expired." : "An access token is required.",
            headers: [.wwwAuthenticate: challenge])
    }

    /// 429 or 503 with `Retry-After` in whole seconds.
    public static func retryLater(_ status: HTTPResponse.Status, code: String, message: String, after seconds: Int) -> APIError {
        APIError(status, code: code, message: message, headers: [.retryAfter: String(max(1, seconds))])
    }
}
