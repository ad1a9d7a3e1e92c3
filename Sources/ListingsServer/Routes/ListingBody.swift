import WireFormat

/// The listing shape of the API, keys in sorted order, written straight into bytes (a general
/// encoder was most of a listing request's time): from a `Listing`, or from a row of a page as
/// SQLite reads it, its text then read in place.
struct ListingJSON<Text: UTF8Text> {
    var id: Text
    var ownerID: Text
    var title: Text
    var description: Text
    var priceCents: Int64
    var currency: Text
    var status: Text
    /// Milliseconds since 1970, written as whole seconds.
    var createdAt: Int64
    var updatedAt: Int64

    /// Appends the listing's object to `out`: each member's name with its punctuation copied
    /// as one piece written in the source (a page writes 180 of them), then its value.
    func append(to out: inout [UInt8]) {
        if out.capacity - out.count < 384 { out.reserveCapacity(max(out.count + 384, 2 * out.capacity)) }
        Self.literal(#"{"created_at":""#, to: &out)
        Timestamp.appendRFC3339(createdAt / 1000, to: &out)
        Self.literal(#"","currency":"#, to: &out)
        JSONText.appendString(currency, to: &out)
        Self.literal(#","description":"#, to: &out)
        JSONText.appendString(description, to: &out)
        Self.literal(#","id":"#, to: &out)
        JSONText.appendString(id, to: &out)
        Self.literal(#","owner_id":"#, to: &out)
        JSONText.appendString(ownerID, to: &out)
        Self.literal(#","price_cents":"#, to: &out)
        JSONText.appendInteger(priceCents, to: &out)
        Self.literal(#","status":"#, to: &out)
        JSONText.appendString(status, to: &out)
        Self.literal(#","title":"#, to: &out)
        JSONText.appendString(title, to: &out)
        Self.literal(#","updated_at":""#, to: &out)
        Timestamp.appendRFC3339(updatedAt / 1000, to: &out)
        Self.literal(#""}"#, to: &out)
    }

    private static func literal(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}

extension Listing {
    var json: [UInt8] {
        var out: [UInt8] = []
        fields.append(to: &out)
        return out
    }

    /// The listing as the API writes it.
    var fields: ListingJSON<String> {
        ListingJSON(
            id: id, ownerID: ownerID, title: title, description: description, priceCents: priceCents, currency: currency,
            status: status.rawValue, createdAt: createdAt, updatedAt: updatedAt)
    }
}
