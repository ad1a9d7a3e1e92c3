import Foundation
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

    @Test(arguments: [nil, "c2VxOjE"])
    func aPageIsWhatAnEncoderWithSortedKeysWrites(nextCursor: String?) throws {
        let written = ListingPage.json(listings, nextCursor: nextCursor)
        let expected = try JSONSerialization.data(
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
        #expect(String(decoding: written, as: UTF8.self) == String(decoding: expected, as: UTF8.self))
    }

    @Test func anEmptyPageHasAnEmptyArray() {
        #expect(String(decoding: ListingPage.json([], nextCursor: nil), as: UTF8.self) == #"{"listings":[],"next_cursor":null}"#)
    }

    /// Milliseconds as whole seconds in RFC 3339, by Foundation's formatter.
    static func rfc3339(_ milliseconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(milliseconds / 1000)))
    }
}
