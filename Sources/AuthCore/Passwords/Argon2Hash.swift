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
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5 || fields.count == 6, fields[0].isEmpty,
            let variant = Variant(rawValue: String(fields[1]))
        else { return nil }
        var index = 2
        var version: UInt32 = 0x10
        if fields.count == 6 {
            guard fields[2] == "v=19" || fields[2] == "v=16" else { return nil }
            version = fields[2] == "v=19" ? 0x13 : 0x10
            index = 3
        }
        guard let parameters = Self.parseParameters(fields[index]), parameters.isValid,
            let salt = Base64.decode(fields[index + 1], alphabet: .standard), salt.count >= 8, salt.count <= 64,
            let tag = Base64.decode(fields[index + 2], alphabet: .standard), tag.count >= 16, tag.count <= 128
        else { return nil }
        self.init(variant: variant, version: version, parameters: parameters, salt: salt, tag: tag)
    }

    /// `m=…,t=…,p=…` in that order, as the PHC format requires.
    private static func parseParameters(_ text: Substring) -> Argon2Parameters? {
        let pairs = text.split(separator: ",", omittingEmptySubsequences: false)
        guard pairs.count == 3 else { return nil }
        var values: [UInt32] = []
        for (pair, name) in zip(pairs, ["m=", "t=", "p="]) {
            guard pair.hasPrefix(name), let value = UInt32(pair.dropFirst(2)) else { return nil }
            values.append(value)
        }
        return Argon2Parameters(memoryKiB: values[0], iterations: values[1], parallelism: values[2])
    }

    /// The PHC string.
    public var phc: String {
        let versionField = version == 0x13 ? "$v=19" : ""
        return "$\(variant.rawValue)\(versionField)$\(parameters)$"
            + Base64.encode(salt, alphabet: .standard) + "$" + Base64.encode(tag, alphabet: .standard)
    }
}
