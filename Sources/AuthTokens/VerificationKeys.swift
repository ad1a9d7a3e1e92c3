import AuthCrypto
import Foundation

/// The public keys a verifier trusts, by `kid`. Built from a JWK Set (RFC 7517 §5).
public struct VerificationKeys: Sendable {
    private var keysByID: [String: [UInt8]]

    /// Keys given directly as `kid` → raw Ed25519 public key.
    public init(_ keysByID: [String: [UInt8]] = [:]) {
        self.keysByID = keysByID
    }

    /// The Ed25519 signing keys of a JWKS document. Keys of other types, without
    /// a `kid`, or meant for encryption are skipped; malformed JSON throws.
    public init(jwks: some DataProtocol) throws {
        let set = try JSONDecoder().decode(JWKSet.self, from: Data(jwks))
        var keys: [String: [UInt8]] = [:]
        for jwk in set.keys where jwk.use == nil || jwk.use == "sig" {
            guard let kid = jwk.kid, let publicKey = jwk.ed25519PublicKey else { continue }
            keys[kid] = publicKey
        }
        self.init(keys)
    }

    /// The public key named `kid`, if trusted.
    public func publicKey(kid: String) -> [UInt8]? { keysByID[kid] }

    /// Every trusted `kid`.
    public var kids: [String] { keysByID.keys.sorted() }

    public var isEmpty: Bool { keysByID.isEmpty }
}

/// A JWK Set document: `{"keys": [...]}`.
public struct JWKSet: Sendable, Codable {
    public var keys: [JWK]

    public init(keys: [JWK]) { self.keys = keys }

    /// The JSON text of the set.
    public var json: String { "{\"keys\":[" + keys.map(\.json).joined(separator: ",") + "]}" }
}
