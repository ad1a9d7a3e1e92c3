import AuthCrypto

/// An Argon2 hash in the PHC string format:
/// `$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>` (salt and hash in unpadded standard base64).
public struct Argon2Hash: Sendable, Equatable {
    public enum Variant: String, Sendable { case argon2d, argon2i, argon2id }

    public var variant: Variant
    /// 0x13 (19) for Argon2 1.3, 0x10 (16) for 1.0, which omits `v=` in its strings.
    public var version: UInt32
    public var parameters: Argon2Parameters
    public var salt: [UInt8]
    public var tag: [UInt8]

    public init(variant: Variant, version: UInt32 = 0x13, parameters: Argon2Parameters, salt: [UInt8], tag: [UInt8]) {
        self.variant = variant
        self.version = version
        self.parameters = parameters
        self.salt = salt
        self.tag = tag
    }

    /// Parses a PHC string; nil when it is not a well-formed Argon2 hash with sane parameters.
    public init?(phc: String) {
        let fields = Array(phc.utf8).split(separator: UInt8(ascii: "$"), omittingEmptySubsequences: false)
        guard fields.count == 5 || fields.count == 6, fields[0].isEmpty,
            let variant = Variant(rawValue: String(decoding: fields[1], as: UTF8.self))
        else { return nil }
        var index = 2
        var version: UInt32 = 0x10
        if fields.count == 6 {
            switch String(decoding: fields[2], as: UTF8.self) {
            case "v=19": version = 0x13
            case "v=16": version = 0x10
            default: return nil
            }
            index = 3
        }
        guard let parameters = Self.parseParameters(fields[index]), parameters.isValid,
            let salt = fields[index + 1].withUnsafeBytes({ Base64.decode(utf8: $0, alphabet: .standard) }),
            salt.count >= 8, salt.count <= 64,
            let tag = fields[index + 2].withUnsafeBytes({ Base64.decode(utf8: $0, alphabet: .standard) }),
            tag.count >= 16, tag.count <= 128
        else { return nil }
        self.init(variant: variant, version: version, parameters: parameters, salt: salt, tag: tag)
    }

    /// `m=…,t=…,p=…` in that order, as the PHC format requires.
    private static func parseParameters(_ field: ArraySlice<UInt8>) -> Argon2Parameters? {
        var values: [UInt32] = []
        var rest = field[...]
        for name in [UInt8(ascii: "m"), UInt8(ascii: "t"), UInt8(ascii: "p")] {
            if !values.isEmpty {
                guard rest.first == UInt8(ascii: ",") else { return nil }
                rest = rest.dropFirst()
            }
            guard rest.starts(with: [name, UInt8(ascii: "=")]) else { return nil }
            rest = rest.dropFirst(2)
            let digits = rest.prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            guard (1...10).contains(digits.count), digits.first != UInt8(ascii: "0") || digits.count == 1,
                let value = UInt32(exactly: digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) })
            else { return nil }
            values.append(value)
            rest = rest.dropFirst(digits.count)
        }
        guard rest.isEmpty else { return nil }
        return Argon2Parameters(memoryKiB: values[0], iterations: values[1], parallelism: values[2])
    }

    /// The PHC string.
    public var phc: String {
        let versionField = version == 0x13 ? "$v=19" : ""
        return "$\(variant.rawValue)\(versionField)$\(parameters)$"
            + Base64.encode(salt, alphabet: .standard) + "$" + Base64.encode(tag, alphabet: .standard)
    }
}
