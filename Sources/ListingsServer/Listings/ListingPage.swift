import WireFormat

/// A page of an owner's listings, newest first, written as the API's JSON while the store reads
/// it: pages are most of this service's requests, and no `Listing` is made for them. A store
/// reads one listing more than the page holds, which only tells that another page follows.
struct ListingPage {
    private var body: [UInt8]
    private let limit: Int
    /// How many listings the page holds.
    private(set) var count = 0
    private var lastSequence: Int64 = 0
    /// The position the next page starts below (its cursor's); nil on the last page.
    private(set) var nextBefore: Int64?

    /// A page of at most `limit` listings.
    init(limit: Int) {
        self.limit = limit
        body = Array(#"{"listings":["#.utf8)
        body.reserveCapacity(400 * limit + 80)
    }

    /// Adds the listing read after the page's last, at position `sequence`; false once the page
    /// is full: `listing` is then left out, the page has a next one, and the store stops reading.
    mutating func add(_ listing: ListingJSON<some UTF8Text>, sequence: Int64) -> Bool {
        guard count < limit else {
            nextBefore = lastSequence
            return false
        }
        if count > 0 { body.append(UInt8(ascii: ",")) }
        listing.append(to: &body)
        count += 1
        lastSequence = sequence
        return true
    }

    /// The response: `{"listings":[…],"next_cursor":…}`, the cursor null on the last page.
    consuming func json() -> [UInt8] {
        body += #"],"next_cursor":"#.utf8
        if let nextBefore {
            JSONText.appendString(ListingCursor.encode(after: nextBefore), to: &body)
        } else {
            body += "null".utf8
        }
        body.append(UInt8(ascii: "}"))
        return body
    }
}
