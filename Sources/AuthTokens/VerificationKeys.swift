import AuthCrypto
import Foundation
import WireFormat

/// The public keys a verifier trusts, by `kid`. Built from a JWK Set (RFC 7517 §5).
public struct VerificationKeys: Sendable {
    private var keysByID: [String: [UInt8]]

    /// Keys given directly as `kid` → raw Ed25519 public key.
    public init(_ keysByID: [String: [UInt8]] = [:]) {
        self.keysByID = keysByID
    }

    /// The Ed25519 signing keys of a JWKS document. Keys of other types, without
    /// a `kid`, or meant for encryption are skipped; JSON the strict parser refuses throws.
    public init(jwks: some DataProtocol) throws {
        let bytes = Data(jwks)
        _ = try JSONValue.parse(bytes)
        let set = try JSONDecoder().decode(AnyKeySet.self, from: bytes)
        var keys: [String: [UInt8]] = [:]
        for entry in set.keys where entry.use == nil || entry.use == "sig" {
            guard let kid = entry.kid, let kty = entry.kty, let crv = entry.crv, let x = entry.x,
                let publicKey = JWK(kty: kty, crv: crv, x: x).ed25519PublicKey
            else { continue }
            keys[kid] = publicKey
        }
        self.init(keys)
    }

    /// A JWK Set whose keys may be of any type; only their common members are read.
    private struct AnyKeySet: Decodable {
        struct Entry: Decodable {
            var kty: String?
            var crv: String?
            var x: String?
            var kid: String?
            var use: String?
        }
        var keys: [Entry]
    }

    /// The public key named `kid`, if trusted.
    public func publicKey(kid: String) -> [UInt8]? { keysByID[kid] }

    /// Every trusted `kid`.
    public var kids: [String] { keysByID.keys.sorted() }
}

/// A JWK Set document: `{"keys": [...]}`.
public struct JWKSet: Sendable, Codable {
    public var keys: [JWK]

    public init(keys: [JWK]) { self.keys = keys }

    /// The JSON text of the set.
    public var json: String { "{\"keys\":[" + keys.map(\.json).joined(separator: ",") + "]}" }
}
