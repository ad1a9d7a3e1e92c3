import Foundation

/// The JOSE header of an access token; any member beyond these three is refused.
struct TokenHeader: Decodable {
    static let allowedMembers: Set<String> = ["alg", "typ", "kid"]
    let alg: String
    let typ: String?
    let kid: String?

    struct ForbiddenMember: Error {}

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyCodingKey.self)
        guard container.allKeys.allSatisfy({ Self.allowedMembers.contains($0.stringValue) }) else {
            throw ForbiddenMember()
        }
        alg = try container.decode(String.self, forKey: AnyCodingKey("alg"))
        typ = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("typ"))
        kid = try container.decodeIfPresent(String.self, forKey: AnyCodingKey("kid"))
    }
}

/// The claims as they appear on the wire, before validation.
struct WireClaims: Decodable {
    let iss: String?
    let sub: String?
    let aud: Audience?
    let exp: Double?
    let iat: Double?
    let nbf: Double?
    let jti: String?
    let sid: String?

    /// `aud` is a string or an array of strings (RFC 7519 §4.1.3).
    enum Audience: Decodable {
        case one(String), many([String])

        init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            if let single = try? container.decode(String.self) {
                self = .one(single)
            } else {
                self = .many(try container.decode([String].self))
            }
        }

        func contains(_ audience: String) -> Bool {
            switch self {
            case .one(let value): value == audience
            case .many(let values): values.contains(audience)
            }
        }
    }
}

struct AnyCodingKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension Double {
    /// This NumericDate as whole seconds, or nil when it is not a finite, representable time.
    var numericDate: Int64? {
        guard isFinite, self >= 0, self < 253_402_300_800 else { return nil }  // before year 10000
        return Int64(self.rounded(.down))
    }
}
