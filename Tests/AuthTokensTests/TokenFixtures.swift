import AuthCrypto
import Foundation

@testable import AuthTokens

/// Builds tokens, well-formed or not, for verifier tests.
enum TokenFixtures {
    static let issuer = "https://auth.example.com"
    static let audience = "listings"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let key = Ed25519.PrivateKey()
    static let kid = JWK.thumbprint(publicKey: key.publicKey)
    static let keys = VerificationKeys([kid: key.publicKey])
    static let verifier = AccessTokenVerifier(issuer: issuer, audience: audience, leeway: 30)

    static func claims(
        iss: String = issuer, aud: String = audience, exp: Int64 = 1_800_000_600, iat: Int64 = 1_800_000_000
    ) -> AccessTokenClaims {
        AccessTokenClaims(
            issuer: iss, subject: "4b0f6f55-2f0e-4f5e-9a53-0c5d1b1e2a10", audience: aud, expiresAt: exp, issuedAt: iat,
            tokenID: "jti-1", sessionID: "9a1f0c4e-1d7b-4b36-8a55-2a2f7d8f1c33", clientID: "web")
    }

    static func token(_ claims: AccessTokenClaims = claims(), algorithm: JWSAlgorithm = .edDSA) -> String {
        AccessTokenSigner(key: key, kid: kid, algorithm: algorithm).sign(claims)
    }

    /// A token with an arbitrary header and payload, signed with `signer`.
    static func raw(header: String, payload: String, signer: Ed25519.PrivateKey = key) -> String {
        JWS.sign(header: Array(header.utf8), payload: Array(payload.utf8), key: signer)
    }

    static var validPayload: String { String(decoding: claims().json, as: UTF8.self) }

    static func header(alg: String = "EdDSA", typ: String = "at+jwt", extra: String = "") -> String {
        #"{"alg":"\#(alg)","typ":"\#(typ)","kid":"\#(kid)"\#(extra)}"#
    }
}
