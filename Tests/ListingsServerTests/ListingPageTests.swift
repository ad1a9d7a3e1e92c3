import Foundation
import GRDB
import Testing

@testable import ListingsServer

/// A page is written by hand into one buffer: it must be exactly what a JSON encoder with sorted
/// keys writes, escapes and times included.
struct ListingPageTests {
    let listings = [
        Listing(
            id: "00000000-0000-4000-8000-000000000001", ownerID: "owner", title: #"A "quoted" \ title"#,
            description: "line one\nline two\t😀 é", priceCents: 25_000, currency: "EUR", status: .active,
            createdAt: 1_764_500_000_123, updatedAt: 1_764_500_999_999, sequence: 2),
        Listing(
            id: "00000000-0000-4000-8000-000000000002", ownerID: "owner", title: "Plain", description: "",
            priceCents: 0, currency: "USD", status: .sold, createdAt: 0, updatedAt: 86_400_000, sequence: 1),
    ]

    /// A page of `limit` made of `listings`, as a store adds them.
    static func page(_ listings: [Listing], limit: Int) -> ListingPage {
        var page = ListingPage(limit: limit)
        for listing in listings {
            guard page.add(listing.fields, sequence: listing.sequence) else { break }
        }
        return page
    }

    /// What a JSON encoder with sorted keys writes for `listings` and the cursor.
    static func encoded(_ listings: [Listing], nextCursor: String?) throws -> String {
        let data = try JSONSerialization.data(
            withJSONObject: [
                "listings": listings.map { listing in
                    [
                        "id": listing.id, "owner_id": listing.ownerID, "title": listing.title,
                        "description": listing.description, "price_cents": listing.priceCents,
                        "currency": listing.currency, "status": listing.status.rawValue,
                        "created_at": Self.rfc3339(listing.createdAt), "updated_at": Self.rfc3339(listing.updatedAt),
                    ] as [String: Any]
                },
                "next_cursor": nextCursor.map { $0 as Any } ?? NSNull(),
            ], options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    @Test func aPageIsWhatAnEncoderWithSortedKeysWrites() throws {
        let written = Self.page(listings, limit: 2).json()
        #expect(String(buffer: written) == (try Self.encoded(listings, nextCursor: nil)))
    }

    @Test func aPageWithAListingBeyondItsLimitLeavesItOutAndPointsPastItsLastListing() throws {
        var page = Self.page(listings, limit: 1)
        #expect(page.count == 1 && page.nextBefore == listings[0].sequence)
        let written = page.json()
        let cursor = ListingCursor.encode(after: listings[0].sequence)
        #expect(String(buffer: written) == (try Self.encoded([listings[0]], nextCursor: cursor)))
    }

    /// A listing not changed after the second it was made gets its creation time's text copied
    /// for `updated_at`: the same text the encoder writes.
    @Test func aListingUnchangedSinceItsFirstSecondHasBothTimesAlike() throws {
        var listing = listings[0]
        listing.updatedAt = listing.createdAt + 876
        #expect(String(buffer: Self.page([listing], limit: 1).json()) == (try Self.encoded([listing], nextCursor: nil)))
        listing.updatedAt = listing.createdAt + 877  // the next second
        #expect(String(buffer: Self.page([listing], limit: 1).json()) == (try Self.encoded([listing], nextCursor: nil)))
    }

    @Test func anEmptyPageHasAnEmptyArray() {
        #expect(String(buffer: ListingPage(limit: 20).json()) == #"{"listings":[],"next_cursor":null}"#)
    }

    /// SQLite's page is written from the row's columns in place: the same bytes as from the
    /// listings themselves, escapes, multi-byte text and the cursor included.
    @Test(arguments: [1, 2, 3, 4])
    func aSQLitePageIsWrittenAsItsListingsAre(limit: Int) async throws {
        let store = try SQLiteListingStore.inMemory()
        var newestFirst: [Listing] = []
        for (index, title) in [#"A "quoted" \ title"#, "Plain", "tab\there 😀"].enumerated() {
            var listing = listings[0]
            listing.id = "00000000-0000-4000-8000-00000000001\(index)"
            listing.title = title
            newestFirst.insert(try await store.insert(listing), at: 0)
        }
        _ = try await store.insert(listings[1])  // sold: on no page of active listings
        var read = try await store.page(ownerID: "owner", status: .active, before: nil, limit: limit)
        var expected = Self.page(newestFirst, limit: limit)
        #expect(read.count == min(limit, 3) && read.nextBefore == expected.nextBefore)
        #expect(String(buffer: read.json()) == String(buffer: expected.json()))
    }

    /// The owner is matched by every byte of its id: one with a NUL inside is not the owner
    /// whose id stops there, and an empty one is no one.
    @Test func anOwnerIsMatchedByAllOfItsBytes() async throws {
        let store = try SQLiteListingStore.inMemory()
        _ = try await store.insert(listings[0])
        for (owner, count) in [("owner", 1), ("owner\u{0}x", 0), ("", 0)] {
            #expect(try await store.page(ownerID: owner, status: .active, before: nil, limit: 20).count == count, "\(owner)")
        }
    }

    /// A page read that SQLite refuses (another connection holds the file locked) fails as GRDB's
    /// error with SQLite's code, which the inline reads need to send the read to the pool; the
    /// statement is left reset, so the next read of it works.
    @Test func aRefusedPageReadIsSQLitesErrorAndLeavesTheStatementReusable() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("page-\(UUID().uuidString).sqlite").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let writer = try DatabaseQueue(path: path)
        try SQLiteListingStore.migrator.migrate(writer)
        var configuration = Configuration()
        configuration.busyMode = .immediateError
        let reader = try DatabaseQueue(path: path, configuration: configuration)
        func readPage() throws -> ListingPage {
            try reader.read { db in
                try PageRow.page(
                    of: db.cachedStatement(sql: PageRow.sql), in: db, ownerID: "owner", status: "active", before: .max, limit: 20)
            }
        }
        try writer.inDatabase { db in
            try db.execute(sql: "BEGIN EXCLUSIVE")
            do {
                _ = try readPage()
                Issue.record("a page was read through an exclusive lock")
            } catch let error as DatabaseError {
                #expect(error.resultCode == .SQLITE_BUSY)
            }
            try db.execute(sql: "COMMIT")
        }
        #expect(try readPage().count == 0)
    }

    /// Milliseconds as whole seconds in RFC 3339, by Foundation's formatter.
    static func rfc3339(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(milliseconds / 1000)))
    }
}
