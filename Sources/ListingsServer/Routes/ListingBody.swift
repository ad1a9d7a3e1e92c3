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
        writer.add(Names.createdAt, time: createdAt / 1000)
        writer.add(Names.currency, string: currency)
        writer.add(Names.description, string: description)
        writer.add(Names.id, string: id)
        writer.add(Names.ownerID, string: ownerID)
        writer.add(Names.priceCents, integer: priceCents)
        writer.add(Names.status, string: status.rawValue)
        writer.add(Names.title, string: title)
        writer.add(Names.updatedAt, time: updatedAt / 1000)
        out = writer.finish()
    }

    /// The members' names, written as JSON once rather than for each listing of a page.
    private enum Names {
        static let createdAt = JSONObjectWriter.Name("created_at")
        static let currency = JSONObjectWriter.Name("currency")
        static let description = JSONObjectWriter.Name("description")
        static let id = JSONObjectWriter.Name("id")
        static let ownerID = JSONObjectWriter.Name("owner_id")
        static let priceCents = JSONObjectWriter.Name("price_cents")
        static let status = JSONObjectWriter.Name("status")
        static let title = JSONObjectWriter.Name("title")
        static let updatedAt = JSONObjectWriter.Name("updated_at")
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
