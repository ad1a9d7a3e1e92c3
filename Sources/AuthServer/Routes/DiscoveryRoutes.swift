import AuthCore
import Hummingbird
import ServerSupport

/// `GET /.well-known/jwks.json` and `GET /.well-known/oauth-authorization-server` (RFC 8414).
struct DiscoveryRoutes {
    let service: TokenService

    /// Authorization server metadata. No authorization endpoint exists, so no response types.
    struct Metadata: Encodable {
        var issuer: String
        var tokenEndpoint: String
        var jwksUri: String
        var revocationEndpoint: String
        var grantTypesSupported = ["password", "refresh_token"]
        var responseTypesSupported: [String] = []
        var tokenEndpointAuthMethodsSupported = ["none"]
        var revocationEndpointAuthMethodsSupported = ["none"]
    }

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.get, "/.well-known/jwks.json") { _, _ in
            // Standby keys are published well before they sign, so a few minutes of caching is safe.
            Response(
                status: .ok, headers: [.contentType: "application/jwk-set+json", .cacheControl: "public, max-age=300"],
                body: .init(byteBuffer: ByteBuffer(string: service.keys.jwks.json)))
        }
        let issuer = service.settings.issuer.hasSuffix("/") ? String(service.settings.issuer.dropLast()) : service.settings.issuer
        let metadata = Metadata(
            issuer: service.settings.issuer, tokenEndpoint: issuer + "/v1/token",
            jwksUri: issuer + "/.well-known/jwks.json", revocationEndpoint: issuer + "/v1/revoke")
        routes.on(.get, "/.well-known/oauth-authorization-server") { _, _ in
            Response.json(metadata, headers: [.cacheControl: "public, max-age=3600"])
        }
    }
}
