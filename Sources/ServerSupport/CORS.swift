import Foundation
import HTTPTypes
import Hummingbird

/// CORS for browser clients (Fetch standard): only origins on an exact allowlist are answered,
/// never `*`, and no credentials (the API uses Bearer tokens, not cookies). Off when the list is empty.
public struct CORSAllowlistMiddleware: RouterMiddleware {
    public typealias Context = ServerRequestContext
    let origins: Set<String>

    public init(origins: Set<String>) {
        self.origins = origins
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let origin = request.headers[.origin], origins.contains(origin) else {
            return try await next(request, context)
        }
        if request.method == .options, request.headers[.accessControlRequestMethod] != nil {
            return Response(
                status: .noContent,
                headers: [
                    .accessControlAllowOrigin: origin, .vary: "Origin",
                    .accessControlAllowMethods: "GET, POST, PATCH, DELETE",
                    .accessControlAllowHeaders: "Authorization, Content-Type", .accessControlMaxAge: "600",
                ])
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        response.headers[.accessControlExposeHeaders] = "Retry-After, WWW-Authenticate, X-Request-Id"
        return response
    }
}

extension SettingsSource {
    /// `PREFIX_CORS_ORIGINS`: comma-separated exact origins (`https://app.example.com`); `*` is refused.
    public mutating func corsOrigins() throws -> Set<String> {
        let variable = prefix + "CORS_ORIGINS"
        let list = (try optionalString(variable, help: "browser origins allowed to call the API, comma-separated") ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        for origin in list where origin == "*" || !(origin.hasPrefix("https://") || origin.hasPrefix("http://")) || origin.hasSuffix("/") {
            throw StartupError.badSetting("\(variable): '\(origin)' is not an origin such as https://app.example.com (no wildcard, no path)")
        }
        return Set(list)
    }
}
