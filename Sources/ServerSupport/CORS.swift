import Foundation
import HTTPTypes
import Hummingbird

/// CORS for browser clients (Fetch standard): only origins on an exact allowlist are answered,
/// never `*`, and no credentials (the API uses Bearer tokens, not cookies). Off when the list is empty.
struct CORSAllowlist: Sendable {
    let origins: Set<String>

    init(origins: Set<String>) {
        self.origins = origins
    }

    /// The answer to an allowed origin's preflight; nil for any other request.
    func preflight(_ request: Request) -> Response? {
        guard request.method == .options, request.headers[.accessControlRequestMethod] != nil,
            let origin = allowedOrigin(of: request)
        else { return nil }
        return Response(
            status: .noContent,
            headers: [
                .accessControlAllowOrigin: origin, .vary: "Origin",
                .accessControlAllowMethods: "GET, POST, PATCH, DELETE",
                .accessControlAllowHeaders: "Authorization, Content-Type", .accessControlMaxAge: "600",
            ])
    }

    /// Lets an allowed origin read `response` (an error's included) and the headers it needs.
    func expose(_ response: inout Response, to request: Request) {
        guard let origin = allowedOrigin(of: request) else { return }
        response.headers[.accessControlAllowOrigin] = origin
        response.headers[.vary] = "Origin"
        response.headers[.accessControlExposeHeaders] = "Retry-After, WWW-Authenticate, X-Request-Id"
    }

    private func allowedOrigin(of request: Request) -> String? {
        guard !origins.isEmpty, let origin = request.headers[.origin], origins.contains(origin) else { return nil }
        return origin
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
