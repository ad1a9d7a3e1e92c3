import WireFormat

/// The listing shape of the API, keys in sorted order, written straight into bytes: a page
/// is 20 of these, and a general encoder was most of a listing request's time.
extension Listing {
    var json: [UInt8] {
        var out: [UInt8] = []
        appendJSON(to: &out)
        return out
    }

    /// Appends the listing's object to `out`.
    func appendJSON(to out: inout [UInt8]) {
        var writer = JSONObjectWriter(appendingTo: consume out, capacity: 384)  // in place: not a copy
        writer.add("created_at", time: createdAt / 1000)
        writer.add("currency", string: currency)
        writer.add("description", string: description)
        writer.add("id", string: id)
        writer.add("owner_id", string: ownerID)
        writer.add("price_cents", integer: priceCents)
        writer.add("status", string: status.rawValue)
        writer.add("title", string: title)
        writer.add("updated_at", time: updatedAt / 1000)
        out = writer.finish()
    }
}

/// A page of listings; `next_cursor` is null on the last page.
enum ListingPage {
    static func json(_ listings: some Collection<Listing>, nextCursor: String?) -> [UInt8] {
        var out: [UInt8] = Array(#"{"listings":["#.utf8)
        out.reserveCapacity(400 * listings.count + 80)
        for (index, listing) in listings.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            listing.appendJSON(to: &out)
        }
        out += #"],"next_cursor":"#.utf8
        if let nextCursor { JSONText.appendString(nextCursor, to: &out) } else { out += "null".utf8 }
        out.append(UInt8(ascii: "}"))
        return out
    }
}
