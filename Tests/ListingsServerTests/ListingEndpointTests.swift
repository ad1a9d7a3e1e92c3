import Foundation
import Hummingbird
import Testing

@testable import ListingsServer

@Suite struct ListingEndpointTests {
    let alice = "0b4c7c0e-8f7a-4d0e-9f1e-5a4b3c2d1e0f"
    let bob = "7d6e5f4a-3b2c-4d1e-8f9a-0b1c2d3e4f5a"

    @Test func createsReadsUpdatesAndDeletesAListing() async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: alice)
            let created = try await client.send(
                .post, "/v1/listings", token: token,
                json: ["title": "  Road bike ", "description": "Blue", "price_cents": 25_000, "currency": "EUR"])
            #expect(created.status == .created)
            #expect(
                Set(created.json.keys)
                    == ["id", "owner_id", "title", "description", "price_cents", "currency", "status", "created_at", "updated_at"])
            #expect(created.json["title"] as? String == "Road bike" && created.json["owner_id"] as? String == alice)
            #expect(created.json["status"] as? String == "active" && created.json["currency"] as? String == "EUR")
            let id = try #require(created.json["id"] as? String)

            let read = try await client.send(.get, "/v1/listings/\(id)", token: token)
            #expect(read.status == .ok && read.json["price_cents"] as? Int == 25_000)

            let patched = try await client.send(.patch, "/v1/listings/\(id)", token: token, json: ["status": "sold", "price_cents": 20_000])
            #expect(patched.status == .ok && patched.json["status"] as? String == "sold" && patched.json["price_cents"] as? Int == 20_000)
            #expect(patched.json["title"] as? String == "Road bike")

            let active = try await client.send(.get, "/v1/listings", token: token)
            #expect((active.json["listings"] as? [Any])?.count == 0)
            let sold = try await client.send(.get, "/v1/listings?status=sold", token: token)
            #expect((sold.json["listings"] as? [[String: Any]])?.first?["id"] as? String == id)

            #expect(try await client.send(.delete, "/v1/listings/\(id)", token: token).status == .noContent)
            let gone = try await client.send(.get, "/v1/listings/\(id)", token: token)
            #expect(gone.status == .notFound && gone.error == "not_found")
            #expect(try await client.send(.delete, "/v1/listings/\(id)", token: token).status == .notFound)
        }
    }

    @Test func appliesDefaults() async throws {
        try await withListingsService { client, mint in
            let reply = try await client.send(.post, "/v1/listings", token: mint.token(subject: alice), json: ["title": "Lamp", "price_cents": 0])
            #expect(reply.json["description"] as? String == "" && reply.json["currency"] as? String == "USD")
        }
    }

    @Test func anotherOwnersListingIsA404() async throws {
        try await withListingsService { client, mint in
            let id = try await client.create("Mine", token: mint.token(subject: alice))
            let intruder = mint.token(subject: bob)
            for method in [HTTPRequest.Method.get, .delete] {
                let reply = try await client.send(method, "/v1/listings/\(id)", token: intruder)
                #expect(reply.status == .notFound && reply.error == "not_found")
            }
            let patch = try await client.send(.patch, "/v1/listings/\(id)", token: intruder, json: ["title": "Stolen"])
            #expect(patch.status == .notFound)
            #expect((try await client.send(.get, "/v1/listings", token: intruder).json["listings"] as? [Any])?.isEmpty == true)
            let mine = try await client.send(.get, "/v1/listings/\(id)", token: mint.token(subject: alice))
            #expect(mine.json["title"] as? String == "Mine")
        }
    }

    @Test(arguments: [
        ["title": "", "price_cents": 1], ["title": "   ", "price_cents": 1], ["title": String(repeating: "x", count: 201), "price_cents": 1],
        ["title": "ok", "price_cents": -1], ["title": "ok", "price_cents": 1.5], ["title": "ok", "price_cents": 1_000_000_000_001],
        ["title": "ok", "price_cents": 1, "currency": "usd"], ["title": "ok", "price_cents": 1, "currency": "EURO"],
        ["title": "ok", "price_cents": 1, "status": "gone"], ["title": "ok", "price_cents": 1, "description": String(repeating: "d", count: 5001)],
        ["title": "a\u{0}b", "price_cents": 1], ["title": "ok", "price_cents": 1, "description": "\u{0}"],
    ] as [[String: any Sendable]])
    func refusesInvalidListingsWith422(_ body: [String: any Sendable]) async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: alice)
            let reply = try await client.send(.post, "/v1/listings", token: token, json: body)
            #expect(reply.status == .unprocessableContent && reply.error == "invalid_listing")
            #expect((try await client.send(.get, "/v1/listings", token: token).json["listings"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func refusesWrongTypesWith400() async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: alice)
            for body: [String: Any] in [
                ["title": 5, "price_cents": 1], ["title": "ok", "price_cents": "12"], ["title": "ok", "price_cents": true],
                ["price_cents": 1], ["title": "ok"], [:],
            ] {
                let reply = try await client.send(.post, "/v1/listings", token: token, json: body)
                #expect(reply.status == .badRequest && reply.error == "invalid_request")
            }
            let id = try await client.create("Kept", token: token)
            let patch = try await client.send(.patch, "/v1/listings/\(id)", token: token, json: ["title": ""])
            #expect(patch.status == .unprocessableContent && patch.error == "invalid_listing")
            #expect(try await client.send(.get, "/v1/listings/\(id)", token: token).json["title"] as? String == "Kept")
        }
    }

    @Test(arguments: ["limit=0", "limit=101", "limit=abc", "status=bogus", "cursor=garbage", "cursor=bDEuMA"])
    func refusesBadQueriesWith400(_ query: String) async throws {
        try await withListingsService { client, mint in
            let reply = try await client.send(.get, "/v1/listings?\(query)", token: mint.token(subject: alice))
            #expect(reply.status == .badRequest && reply.error == "invalid_request")
        }
    }

    @Test func pagesNewestFirstWithoutGapsOrDuplicatesWhileListingsAreAdded() async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: alice)
            var created: [String] = []
            for index in 0..<45 { created.append(try await client.create("Item \(index)", token: token)) }
            var seen: [String] = []
            var cursor: String?
            var sizes: [Int] = []
            repeat {
                let uri = "/v1/listings" + (cursor.map { "?cursor=\($0)" } ?? "")
                let page = try await client.send(.get, uri, token: token).json
                let ids = (page["listings"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                sizes.append(ids.count)
                seen += ids
                cursor = page["next_cursor"] as? String
                _ = try await client.create("Added meanwhile", token: token)  // must not disturb the paging
            } while cursor != nil && sizes.count < 10
            #expect(sizes == [20, 20, 5])
            #expect(seen == created.reversed())
        }
    }

    @Test func limitsPageSize() async throws {
        try await withListingsService { client, mint in
            let token = mint.token(subject: alice)
            for index in 0..<3 { _ = try await client.create("Item \(index)", token: token) }
            let page = try await client.send(.get, "/v1/listings?limit=2", token: token).json
            #expect((page["listings"] as? [Any])?.count == 2 && page["next_cursor"] is String)
            let all = try await client.send(.get, "/v1/listings?limit=100", token: token).json
            #expect((all["listings"] as? [Any])?.count == 3 && all["next_cursor"] is NSNull)
        }
    }
}
