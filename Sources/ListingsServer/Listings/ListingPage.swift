import NIOCore
import WireFormat

/// A page of an owner's listings, newest first, written as the API's JSON while the store reads
/// it: pages are most of this service's requests, and no `Listing` is made for them. A store
/// reads one listing more than the page holds, which only tells that another page follows.
struct ListingPage {
    private var body: ByteBuffer
    private let limit: Int
    /// How many listings the page holds.
    private(set) var count = 0
    private var lastSequence: Int64 = 0
    /// The position the next page starts below (its cursor's); nil on the last page.
    private(set) var nextBefore: Int64?

    /// A page of at most `limit` listings.
    init(limit: Int) {
        self.limit = limit
        body = ByteBufferAllocator().buffer(capacity: 400 * limit + 80)
        body.writeStaticString(#"{"listings":["#)
    }

    /// Adds the listing read after the page's last, at position `sequence`; false once the page
    /// is full: `listing` is then left out, the page has a next one, and the store stops reading.
    mutating func add(_ listing: ListingJSON<some UTF8Text>, sequence: Int64) -> Bool {
        guard count < limit else {
            nextBefore = lastSequence
            return false
        }
        // Written in place: room for the most the listing can take, of which only what is written counts.
        body.writeWithUnsafeMutableBytes(minimumWritableBytes: 1 + listing.bound) { room in
            let start = room.baseAddress!.assumingMemoryBound(to: UInt8.self)
            var json = JSONCursor(at: start)
            if count > 0 { json.byte(UInt8(ascii: ",")) }
            listing.write(to: &json)
            return json.position - start
        }
        count += 1
        lastSequence = sequence
        return true
    }

    /// The response: `{"listings":[…],"next_cursor":…}`, the cursor null on the last page.
    consuming func json() -> ByteBuffer {
        body.writeStaticString(#"],"next_cursor":"#)
        if let nextBefore {
            body.writeBytes(JSONText.string(ListingCursor.encode(after: nextBefore)).utf8)
        } else {
            body.writeStaticString("null")
        }
        body.writeStaticString("}")
        return body
    }
}
