import WireFormat

/// The listing shape of the API, keys in sorted order, written straight into bytes (a general
/// encoder was most of a listing request's time): from a `Listing`, or from a row of a page as
/// a store reads it, its text then read in place (SQLite's columns, PostgreSQL's cells). Times
/// are milliseconds since 1970, written as whole seconds.
struct ListingJSON<Text: UTF8Text> {
    var id: Text
    var ownerID: Text
    var title: Text
    var description: Text
    var priceCents: Int64
    var currency: Text
    var status: Text
    var createdAt: Int64
    var updatedAt: Int64

    /// At most how many bytes `write(to:)` writes.
    var bound: Int {
        let text = id.utf8Count + ownerID.utf8Count + title.utf8Count + description.utf8Count + currency.utf8Count
            + status.utf8Count
        return 160 + JSONCursor.bound(escaping: text) + JSONCursor.integerBound + 2 * JSONCursor.timeBound
    }

    /// Writes the listing's object: each member's name with its punctuation and quotes copied as
    /// one piece written in the source (a page writes 180 of them), then its value. A listing
    /// never changed within the second it was made (most are never changed) has its creation
    /// time's text copied for `updated_at`.
    func write(to json: inout JSONCursor) {
        json.literal(#"{"created_at":""#)
        let created = json.position
        json.rfc3339(createdAt / 1000)
        let createdText = UnsafeBufferPointer(start: created, count: json.position - created)
        json.literal(#"","currency":""#)
        json.escaped(currency)
        json.literal(#"","description":""#)
        json.escaped(description)
        json.literal(#"","id":""#)
        json.escaped(id)
        json.literal(#"","owner_id":""#)
        json.escaped(ownerID)
        json.literal(#"","price_cents":"#)
        json.integer(priceCents)
        json.literal(#","status":""#)
        json.escaped(status)
        json.literal(#"","title":""#)
        json.escaped(title)
        json.literal(#"","updated_at":""#)
        if updatedAt / 1000 == createdAt / 1000 { json.json(createdText) } else { json.rfc3339(updatedAt / 1000) }
        json.literal(#""}"#)
    }
}

extension Listing {
    var json: [UInt8] {
        let fields = fields
        var out: [UInt8] = []
        out.appendJSON(atMost: fields.bound) { fields.write(to: &$0) }
        return out
    }

    /// The listing as the API writes it.
    var fields: ListingJSON<String> {
        ListingJSON(
            id: id, ownerID: ownerID, title: title, description: description, priceCents: priceCents, currency: currency,
            status: status.rawValue, createdAt: createdAt, updatedAt: updatedAt)
    }
}
