import WireFormat

/// The listing shape of the API, keys in sorted order, written straight into bytes: a page
/// is 20 of these, and a general encoder was most of a listing request's time.
extension Listing {
    var json: [UInt8] {
        var writer = JSONObjectWriter(capacity: 384)
        writer.add("created_at", string: Timestamp.rfc3339(createdAt / 1000))
        writer.add("currency", string: currency)
        writer.add("description", string: description)
        writer.add("id", string: id)
        writer.add("owner_id", string: ownerID)
        writer.add("price_cents", integer: priceCents)
        writer.add("status", string: status.rawValue)
        writer.add("title", string: title)
        writer.add("updated_at", string: Timestamp.rfc3339(updatedAt / 1000))
        return writer.finish()
    }
}

/// A page of listings; `next_cursor` is null on the last page.
enum ListingPage {
    static func json(_ listings: some Collection<Listing>, nextCursor: String?) -> [UInt8] {
        var array: [UInt8] = [UInt8(ascii: "[")]
        for listing in listings {
            if array.count > 1 { array.append(UInt8(ascii: ",")) }
            array += listing.json
        }
        array.append(UInt8(ascii: "]"))
        var writer = JSONObjectWriter(capacity: array.count + 128)
        writer.add("listings", json: array)
        writer.add("next_cursor", json: nextCursor.map(JSONText.string) ?? "null")
        return writer.finish()
    }
}
