import AuthCrypto
import WireFormat

/// An Ed25519 public key as a JSON Web Key (RFC 8037 §2).
public struct JWK: Sendable, Equatable, Codable {
    public var kty: String
    public var crv: String
    public var x: String
    public var kid: String?
    public var use: String?
    public var alg: String?

    /// The JWK of an Ed25519 public key, its `kid` being its RFC 7638 thumbprint.
    public init(publicKey: [UInt8], algorithm: JWSAlgorithm = .edDSA) {
        kty = "OKP"
        crv = "Ed25519"
        x = Base64.encode(publicKey)
        kid = JWK.thumbprint(publicKey: publicKey)
        use = "sig"
        alg = algorithm.rawValue
    }

    /// A key from its members, as read from a JWKS.
    public init(kty: String, crv: String, x: String, kid: String? = nil, use: String? = nil, alg: String? = nil) {
        self.kty = kty
        self.crv = crv
        self.x = x
        self.kid = kid
        self.use = use
        self.alg = alg
    }

    /// The raw 32-byte key, or nil when this is not a well-formed Ed25519 key.
    public var ed25519PublicKey: [UInt8]? {
        guard kty == "OKP", crv == "Ed25519", let bytes = Base64.decode(x), bytes.count == Ed25519.publicKeyLength
        else { return nil }
        return bytes
    }

    /// The RFC 7638 JWK thumbprint (SHA-256, base64url) of an Ed25519 public key.
    public static func thumbprint(publicKey: [UInt8]) -> String {
        let canonical = JSONText.object([
            ("crv", JSONText.string("Ed25519")), ("kty", JSONText.string("OKP")),
            ("x", JSONText.string(Base64.encode(publicKey))),
        ])
        return Base64.encode(Sodium.sha256(Array(canonical.utf8)))
    }

    /// The JSON text of this key, members in a fixed order.
    public var json: String {
        var members = [("kty", JSONText.string(kty)), ("crv", JSONText.string(crv)), ("x", JSONText.string(x))]
        if let kid { members.append(("kid", JSONText.string(kid))) }
        if let use { members.append(("use", JSONText.string(use))) }
        if let alg { members.append(("alg", JSONText.string(alg))) }
        return JSONText.object(members)
    }
}
