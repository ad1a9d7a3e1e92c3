import AuthCrypto

/// The opaque `cursor` of listing pages: the position after the last listing served.
/// Pages never skip or repeat a listing, even when listings are created between pages,
/// because positions only grow and the next page starts strictly below the last one.
enum ListingCursor {
    private static let prefix = "l1."

    static func encode(after sequence: Int64) -> String {
        Base64.encode(Array((prefix + String(sequence)).utf8))
    }

    /// The position, or nil when `text` is not a cursor this service made.
    static func decode(_ text: String) -> Int64? {
        guard text.utf8.count <= 64, let bytes = Base64.decode(text) else { return nil }
        let decoded = String(decoding: bytes, as: UTF8.self)
        guard decoded.hasPrefix(prefix), let sequence = Int64(decoded.dropFirst(prefix.count)), sequence > 0 else {
            return nil
        }
        return sequence
    }
}
