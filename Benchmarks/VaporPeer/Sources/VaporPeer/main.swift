// The Vapor peer of issue #17: `GET /v1/listings?limit=N`, the caller's active listings, newest
// first, as a typical Vapor 4 service writes it: vapor/jwt verifies the bearer token against the
// token service's JWKS (fetched once at start), Fluent reads the page from SQLite, and Vapor's
// default route logging writes a line per request (the development environment's info level).
//
//     VaporPeer [PORT]   (or VAPOR_PEER_PORT; 0, the default, picks a free port)
//     VAPOR_PEER_DATABASE   the SQLite file (created and migrated at start; default vapor-peer.sqlite)
//     VAPOR_PEER_JWKS_URL   the token service's JWKS URL (optional: without it every token is refused)
//     VAPOR_PEER_ISSUER, VAPOR_PEER_AUDIENCE   the claims an access token must carry
//
// Binds 127.0.0.1 and prints `VaporPeer listening on http://127.0.0.1:PORT` on stdout once it
// accepts connections. Stops on SIGINT or SIGTERM.
import Fluent
import FluentSQLiteDriver
import Foundation
import JWT
import Vapor

enum Settings {
    static let environment = ProcessInfo.processInfo.environment
    static let issuer = environment["VAPOR_PEER_ISSUER"] ?? "http://auth.bench.test"
    static let audience = environment["VAPOR_PEER_AUDIENCE"] ?? "listings"
    static let database = environment["VAPOR_PEER_DATABASE"] ?? "vapor-peer.sqlite"
    static let jwksURL = environment["VAPOR_PEER_JWKS_URL"]
}

/// The token service's access-token claims (RFC 9068 plus `sid`).
struct AccessToken: JWTPayload {
    var iss: IssuerClaim
    var sub: SubjectClaim
    var aud: AudienceClaim
    var exp: ExpirationClaim
    var iat: IssuedAtClaim
    var jti: IDClaim
    var sid: String

    func verify(using _: some JWTAlgorithm) async throws {
        try exp.verifyNotExpired()
        guard iss.value == Settings.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "unexpected issuer")
        }
        try aud.verifyIntendedAudience(includes: Settings.audience)
    }
}

final class Listing: Model, @unchecked Sendable {
    static let schema = "listings"

    @ID(custom: "id", generatedBy: .user) var id: String?
    @Field(key: "owner_id") var ownerID: String
    @Field(key: "title") var title: String
    @Field(key: "description") var description: String
    @Field(key: "price_cents") var priceCents: Int64
    @Field(key: "currency") var currency: String
    @Field(key: "status") var status: String
    @Field(key: "created_at") var createdAt: Int64
    @Field(key: "updated_at") var updatedAt: Int64

    init() {}
}

struct CreateListings: AsyncMigration {
    func prepare(on database: any Database) async throws {
        try await database.schema(Listing.schema)
            .field("id", .string, .identifier(auto: false))
            .field("owner_id", .string, .required)
            .field("title", .string, .required)
            .field("description", .string, .required)
            .field("price_cents", .int64, .required)
            .field("currency", .string, .required)
            .field("status", .string, .required)
            .field("created_at", .int64, .required)
            .field("updated_at", .int64, .required)
            .create()
        if let sql = database as? any SQLDatabase {
            try await sql.raw("CREATE INDEX listings_by_owner ON listings (owner_id, status, created_at)").run()
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(Listing.schema).delete()
    }
}

struct ListingDTO: Content {
    let id: String
    let ownerID: String
    let title: String
    let description: String
    let priceCents: Int64
    let currency: String
    let status: String
    let createdAt: Int64
    let updatedAt: Int64

    enum CodingKeys: String, CodingKey {
        case id, title, description, currency, status
        case ownerID = "owner_id", priceCents = "price_cents", createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ listing: Listing) {
        id = listing.id ?? ""
        ownerID = listing.ownerID
        title = listing.title
        description = listing.description
        priceCents = listing.priceCents
        currency = listing.currency
        status = listing.status
        createdAt = listing.createdAt
        updatedAt = listing.updatedAt
    }
}

struct ListingPage: Content {
    let listings: [ListingDTO]
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case listings
        case nextCursor = "next_cursor"
    }
}

func routes(_ app: Application) {
    app.get("v1", "listings") { req async throws -> ListingPage in
        let token = try await req.jwt.verify(as: AccessToken.self)
        let limit = try req.query.get(Int?.self, at: "limit") ?? 20
        guard (1...100).contains(limit) else { throw Abort(.badRequest, reason: "The limit must be 1 to 100.") }
        let status = try req.query.get(String?.self, at: "status") ?? "active"
        var query = Listing.query(on: req.db)
            .filter(\.$ownerID == token.sub.value)
            .filter(\.$status == status)
        if let cursor = try req.query.get(Int64?.self, at: "cursor") {
            query = query.filter(\.$createdAt < cursor)
        }
        let rows = try await query.sort(\.$createdAt, .descending).limit(limit + 1).all()
        let page = rows.prefix(limit)
        let next = rows.count > limit ? page.last.map { String($0.createdAt) } : nil
        return ListingPage(listings: page.map(ListingDTO.init), nextCursor: next)
    }
    app.get("healthz") { _ in "ok" }
}

let portText = CommandLine.arguments.dropFirst().first ?? Settings.environment["VAPOR_PEER_PORT"] ?? "0"
guard let port = Int(portText), (0...65535).contains(port) else {
    FileHandle.standardError.write(Data("VaporPeer: bad port \(portText)\n".utf8))
    exit(2)
}

// Vapor's default environment (development: info-level logging, so one line per request).
var environment = Environment(name: "development", arguments: [CommandLine.arguments[0]])
try LoggingSystem.bootstrap(from: &environment)
let app = try await Application.make(environment)
app.http.server.configuration.hostname = "127.0.0.1"
app.http.server.configuration.port = port
app.databases.use(.sqlite(.file(Settings.database)), as: .sqlite)
app.migrations.add(CreateListings())
do {
    try await app.autoMigrate()
    if let url = Settings.jwksURL {
        let response = try await app.client.get(URI(string: url)).get()
        guard response.status == .ok, let body = response.body else {
            throw Abort(.badGateway, reason: "JWKS fetch from \(url) answered \(response.status)")
        }
        try await app.jwt.keys.add(jwksJSON: String(buffer: body))
    }
    routes(app)
    try await app.startup()
    let bound = app.http.server.shared.localAddress?.port ?? port
    FileHandle.standardOutput.write(Data("VaporPeer listening on http://127.0.0.1:\(bound)\n".utf8))
    try await app.running?.onStop.get()
} catch {
    app.logger.report(error: error)
    try? await app.asyncShutdown()
    exit(1)
}
try await app.asyncShutdown()
