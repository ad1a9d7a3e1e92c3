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

    /// Appends the listing's object to `out`.
    func append(to out: inout [UInt8]) {
        var writer = JSONObjectWriter(appendingTo: consume out, capacity: 384)  // in place: not a copy
        writer.add("created_at", time: createdAt / 1000)
        writer.add("currency", string: currency)
        writer.add("description", string: description)
        writer.add("id", string: id)
        writer.add("owner_id", string: ownerID)
        writer.add("price_cents", integer: priceCents)
        writer.add("status", string: status)
        writer.add("title", string: title)
        writer.add("updated_at", time: updatedAt / 1000)
        out = writer.finish()
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
