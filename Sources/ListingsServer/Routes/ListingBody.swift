import Foundation

/// The listing shape of the API.
struct ListingBody: Encodable {
    var id: String
    var ownerId: String
    var title: String
    var description: String
    var priceCents: Int64
    var currency: String
    var status: String
    var createdAt: String
    var updatedAt: String

    init(_ listing: Listing) {
        id = listing.id
        ownerId = listing.ownerID
        title = listing.title
        description = listing.description
        priceCents = listing.priceCents
        currency = listing.currency
        status = listing.status.rawValue
        createdAt = Self.rfc3339(listing.createdAt)
        updatedAt = Self.rfc3339(listing.updatedAt)
    }

    static func rfc3339(_ milliseconds: Int64) -> String {
        Date(timeIntervalSince1970: TimeInterval(milliseconds / 1000)).formatted(.iso8601)
    }
}

/// A page of listings; `next_cursor` is null on the last page.
struct ListingPage: Encodable {
    var listings: [ListingBody]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey { case listings, nextCursor }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(listings, forKey: .listings)
        try container.encode(nextCursor, forKey: .nextCursor)  // an explicit null, not an absent key
    }
}
