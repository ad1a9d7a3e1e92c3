import AuthCrypto
import AuthTokens
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Testing

@testable import ListingsServer

/// Signs tokens as the token service would, for the listings service under test.
struct TokenMint: Sendable {
    static let issuer = "https://auth.example.com"
    static let audience = "listings"
    let key = Ed25519.PrivateKey()
    var kid: String { JWK.thumbprint(publicKey: key.publicKey) }
    var jwks: [UInt8] { Array(JWKSet(keys: [JWK(publicKey: key.publicKey)]).json.utf8) }

    func token(subject: String, issuer: String = issuer, audience: String = audience, lifetime: Int64 = 600, issuedAgo: Int64 = 0) -> String {
        let now = Int64(Date().timeIntervalSince1970) - issuedAgo
        return AccessTokenSigner(key: key, kid: kid).sign(
            AccessTokenClaims(
                issuer: issuer, subject: subject, audience: audience, expiresAt: now + lifetime, issuedAt: now,
                tokenID: UUID().uuidString, sessionID: UUID().uuidString.lowercased(), clientID: "web"))
    }
}

/// Runs `body` against the listings service in process, on a fresh database, trusting `mint`'s key.
func withListingsService(
    mint: TokenMint = TokenMint(), keysLoaded: Bool = true,
    _ body: @Sendable (ListingsClient, TokenMint) async throws -> Void
) async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("listings-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = ListingsConfiguration()
    configuration.database = .sqlite(path: directory.appendingPathComponent("listings.sqlite").path)
    configuration.issuer = TokenMint.issuer
    let jwks = mint.jwks
    let keys = KeySetCache(fetch: {
        guard keysLoaded else { throw URLError(.cannotConnectToHost) }
        return jwks
    })
    if keysLoaded { try await keys.reload() }
    var logger = Logger(label: "tests")
    logger.logLevel = .critical
    let app = try await buildApplication(configuration, logger: logger, keys: keys)
    try await app.test(.router) { client in try await body(ListingsClient(client: client), mint) }
}

struct ListingsClient: Sendable {
    let client: any TestClientProtocol

    struct Reply: Sendable {
        let status: HTTPResponse.Status
        let headers: HTTPFields
        let body: Data
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:] }
        var error: String? { json["error"] as? String }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, json: Any? = nil) async throws -> Reply {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }

    /// Creates a listing and returns its id.
    func create(_ title: String, token: String, price: Int = 100) async throws -> String {
        let reply = try await send(.post, "/v1/listings", token: token, json: ["title": title, "price_cents": price])
        #expect(reply.status == .created)
        return reply.json["id"] as? String ?? ""
    }
}
