import Foundation
import Hummingbird
import ServerSupport

/// `/v1/listings` and `/v1/listings/{id}`: each caller sees and changes only their own listings.
struct ListingRoutes {
    let store: any ListingStore
    let authenticator: BearerAuthenticator

    static let defaultLimit = 20
    static let maximumLimit = 100

    func register(on routes: RouteTable<ServerRequestContext>) {
        routes.on(.get, "/v1/listings") { request, _ in
            let owner = try await authenticator.subject(of: request)
            let query = request.uri.queryParameters
            guard let status = Listing.Status(rawValue: query["status"].map(String.init) ?? "active") else {
                throw APIError.invalidRequest("The status filter must be active, archived or sold.")
            }
            let limit = try query["limit"].map { raw -> Int in
                guard let value = Int(raw), (1...Self.maximumLimit).contains(value) else {
                    throw APIError.invalidRequest("The limit must be an integer from 1 to \(Self.maximumLimit).")
                }
                return value
            } ?? Self.defaultLimit
            let before = try query["cursor"].map { raw -> Int64 in
                guard let position = ListingCursor.decode(String(raw)) else {
                    throw APIError.invalidRequest("The cursor is not one this service returned.")
                }
                return position
            }
            return Response.json(buffer: try await store.page(ownerID: owner, status: status, before: before, limit: limit).json())
        }
        routes.on(.post, "/v1/listings") { request, _ in
            let owner = try await authenticator.subject(of: request)
            let input = try await BodyReader.json(ListingInput.self, from: request)
            if let field = input.missingRequiredField {
                throw APIError.invalidRequest("The field \"\(field)\" is required.")
            }
            let fields = try await validated { try input.forCreation() }
            let now = Self.nowMillis()
            let listing = try await store.insert(
                Listing(
                    id: UUID().uuidString.lowercased(), ownerID: owner, title: fields.title, description: fields.description,
                    priceCents: fields.priceCents, currency: fields.currency, status: fields.status, createdAt: now,
                    updatedAt: now, sequence: 0))
            return Response.json(bytes: listing.json, status: .created)
        }
        routes.on(.get, "/v1/listings/{id}") { request, context in
            let owner = try await authenticator.subject(of: request)
            return Response.json(bytes: try await ownListing(context, owner: owner).json)
        }
        routes.on(.patch, "/v1/listings/{id}") { request, context in
            let owner = try await authenticator.subject(of: request)
            let input = try await BodyReader.json(ListingInput.self, from: request)
            var listing = try await validated { try input.applied(to: try await ownListing(context, owner: owner)) }
            listing.updatedAt = Self.nowMillis()
            guard try await store.update(listing) else { throw APIError.notFound("No such listing.") }
            return Response.json(bytes: listing.json)
        }
        routes.on(.delete, "/v1/listings/{id}") { request, context in
            let owner = try await authenticator.subject(of: request)
            guard try await store.delete(id: try context.parameters.require("id").lowercased(), ownerID: owner) else {
                throw APIError.notFound("No such listing.")
            }
            return Response(status: .noContent)
        }
    }

    /// The caller's listing named in the path; 404 for anyone else's, so ids leak nothing.
    private func ownListing(_ context: ServerRequestContext, owner: String) async throws -> Listing {
        let id = try context.parameters.require("id").lowercased()
        guard let listing = try await store.listing(id: id, ownerID: owner) else {
            throw APIError.notFound("No such listing.")
        }
        return listing
    }

    /// Runs a validation, turning a broken rule into 422 `invalid_listing`.
    private func validated<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let violation as ListingRules.Violation {
            throw APIError(.unprocessableContent, code: "invalid_listing", message: violation.message)
        }
    }

    static func nowMillis() -> Int64 { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }
}
