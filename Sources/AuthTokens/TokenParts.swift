import WireFormat

/// The JOSE header of an access token; any member beyond these three is refused.
struct TokenHeader {
    static let allowedMembers: Set<String> = ["alg", "typ", "kid"]
    let alg: String
    let typ: String?
    let kid: String?

    /// Reads the decoded header JSON: `.malformed` unless an object whose members are strings,
    /// `.forbiddenHeader` when it has a member other than the three allowed.
    init(_ json: [UInt8]) throws(TokenRejection) {
        guard let members = (try? JSONValue.parse(json))?.object else { throw .malformed }
        guard members.keys.allSatisfy(Self.allowedMembers.contains) else { throw .forbiddenHeader }
        guard let alg = members["alg"]?.string else { throw .malformed }
        let typ = members["typ"], kid = members["kid"]
        guard typ == nil || typ?.string != nil, kid == nil || kid?.string != nil else { throw .malformed }
        self.alg = alg
        self.typ = typ?.string
        self.kid = kid?.string
    }
}

/// The claims as they appear on the wire, before validation.
struct WireClaims {
    let members: [String: JSONValue]

    /// The decoded payload JSON, when it is an object.
    init?(_ json: [UInt8]) {
        guard let members = (try? JSONValue.parse(json))?.object else { return nil }
        self.members = members
    }

    func string(_ name: String) -> String? { members[name]?.string }

    /// A NumericDate claim as whole seconds, or nil when absent, not a number or not a representable time.
    func numericDate(_ name: String) -> Int64? {
        guard let value = members[name]?.number, value.isFinite, value >= 0, value < 253_402_300_800 else {
            return nil  // before year 10000
        }
        return Int64(value.rounded(.down))
    }

    /// `aud`, a string or an array of strings (RFC 7519 §4.1.3); nil when absent or anything else.
    var audience: [String]? {
        switch members["aud"] {
        case .string(let one): return [one]
        case .array(let many):
            let strings = many.compactMap(\.string)
            return strings.count == many.count ? strings : nil
        default: return nil
        }
    }
}
