import Foundation

/// The fields a client sends to create or change a listing, before validation.
/// A field of the wrong JSON type fails decoding (400); a value out of bounds fails
/// `validated` (422 `invalid_listing`).
struct ListingInput: Decodable, Sendable {
    var title: String?
    var description: String?
    var priceCents: Double?
    var currency: String?
    var status: String?

    enum CodingKeys: String, CodingKey {
        case title, description, currency, status
        case priceCents = "price_cents"
    }
}

/// The value rules of a listing. Lengths count Unicode code points, as `length()` does in SQLite
/// and PostgreSQL; no text may hold U+0000, which PostgreSQL can't store.
enum ListingRules {
    static let maximumTitle = 200
    static let maximumDescription = 5000
    static let maximumPrice: Double = 1_000_000_000_000

    struct Violation: Error {
        let message: String
    }

    static func title(_ raw: String) throws -> String {
        let title = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximumTitle).contains(title.unicodeScalars.count) else {
            throw Violation(message: "The title must have 1 to \(maximumTitle) characters.")
        }
        return try withoutNUL(title, "title")
    }

    static func description(_ raw: String) throws -> String {
        guard raw.unicodeScalars.count <= maximumDescription else {
            throw Violation(message: "The description must have at most \(maximumDescription) characters.")
        }
        return try withoutNUL(raw, "description")
    }

    private static func withoutNUL(_ text: String, _ field: String) throws -> String {
        guard !text.unicodeScalars.contains("\u{0}") else { throw Violation(message: "The \(field) must not contain U+0000.") }
        return text
    }

    static func price(_ raw: Double) throws -> Int64 {
        guard raw.isFinite, raw >= 0, raw <= maximumPrice, raw.rounded(.towardZero) == raw else {
            throw Violation(message: "price_cents must be an integer from 0 to 10^12.")
        }
        return Int64(raw)
    }

    static func currency(_ raw: String) throws -> String {
        guard raw.utf8.count == 3, raw.utf8.allSatisfy({ (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }) else {
            throw Violation(message: "The currency must be three uppercase letters (ISO 4217), such as USD.")
        }
        return raw
    }

    static func status(_ raw: String) throws -> Listing.Status {
        guard let status = Listing.Status(rawValue: raw) else {
            throw Violation(message: "The status must be active, archived or sold.")
        }
        return status
    }
}

extension ListingInput {
    /// The fields a new listing must have; their absence is a malformed request (400), not a broken rule.
    var missingRequiredField: String? {
        if title == nil { return "title" }
        if priceCents == nil { return "price_cents" }
        return nil
    }

    /// A new listing's fields, defaults applied; call after checking `missingRequiredField`.
    func forCreation() throws -> (title: String, description: String, priceCents: Int64, currency: String, status: Listing.Status) {
        guard let title, let priceCents else { throw ListingRules.Violation(message: "title and price_cents are required.") }
        return (
            try ListingRules.title(title), try ListingRules.description(description ?? ""),
            try ListingRules.price(priceCents), try ListingRules.currency(currency ?? "USD"),
            try ListingRules.status(status ?? "active")
        )
    }

    /// `listing` with the given fields changed.
    func applied(to listing: Listing) throws -> Listing {
        var listing = listing
        if let title { listing.title = try ListingRules.title(title) }
        if let description { listing.description = try ListingRules.description(description) }
        if let priceCents { listing.priceCents = try ListingRules.price(priceCents) }
        if let currency { listing.currency = try ListingRules.currency(currency) }
        if let status { listing.status = try ListingRules.status(status) }
        return listing
    }
}
