import WireFormat

/// The listing shape of the API, keys in sorted order, written straight into bytes (a general
/// encoder was most of a listing request's time): from a `Listing`, or from a row of a page as
/// a store reads it, its text then read in place (SQLite's columns, PostgreSQL's cells).
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
        Self.member(#"{"created_at":"#, time: createdAt, to: &out)
        Self.member(#","currency":"#, string: currency, to: &out)
        Self.member(#","description":"#, string: description, to: &out)
        Self.member(#","id":"#, string: id, to: &out)
        Self.member(#","owner_id":"#, string: ownerID, to: &out)
        Self.literal(#","price_cents":"#, to: &out)
        JSONText.appendInteger(priceCents, to: &out)
        Self.member(#","status":"#, string: status, to: &out)
        Self.member(#","title":"#, string: title, to: &out)
        Self.member(#","updated_at":"#, time: updatedAt, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    private static func member(_ name: StaticString, string value: Text, to out: inout [UInt8]) {
        literal(name, to: &out)
        JSONText.appendString(value, to: &out)
    }

    /// A time member: `milliseconds` since 1970 as an RFC 3339 string of whole seconds.
    private static func member(_ name: StaticString, time milliseconds: Int64, to out: inout [UInt8]) {
        literal(name, to: &out)
        out.append(UInt8(ascii: "\""))
        Timestamp.appendRFC3339(milliseconds / 1000, to: &out)
        out.append(UInt8(ascii: "\""))
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
