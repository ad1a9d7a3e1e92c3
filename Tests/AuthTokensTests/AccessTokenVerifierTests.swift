import AuthCrypto
import Foundation
import Testing

@testable import AuthTokens

@Suite struct AccessTokenVerifierTests {
    typealias F = TokenFixtures

    func verify(_ token: String, at now: Date = F.now, keys: VerificationKeys = F.keys) -> TokenVerification {
        F.verifier.verify(token, keys: keys, now: now)
    }

    @Test func acceptsAnIssuedTokenAndReturnsItsClaims() {
        #expect(verify(F.token()) == .valid(F.claims()))
    }

    @Test func acceptsTheFullySpecifiedAlgorithmName() {
        #expect(verify(F.token(algorithm: .ed25519)) == .valid(F.claims()))
    }

    @Test func writesTheHeaderExactly() {
        let header = F.token().split(separator: ".")[0]
        #expect(String(decoding: Base64.decode(header)!, as: UTF8.self) == #"{"alg":"EdDSA","typ":"at+jwt","kid":"\#(F.kid)"}"#)
    }

    @Test func acceptsAnAudienceArrayHoldingTheAudience() {
        let payload = F.validPayload.replacingOccurrences(of: #""aud":"listings""#, with: #""aud":["other","listings"]"#)
        #expect(verify(F.raw(header: F.header(), payload: payload)) != .invalid(.wrongAudience))
        guard case .valid = verify(F.raw(header: F.header(), payload: payload)) else {
            Issue.record("array audience refused")
            return
        }
    }

    @Test(arguments: [
        ("none", TokenRejection.unsupportedAlgorithm), ("HS256", .unsupportedAlgorithm), ("RS256", .unsupportedAlgorithm),
        ("ES256", .unsupportedAlgorithm), ("eddsa", .unsupportedAlgorithm), ("Ed448", .unsupportedAlgorithm),
    ])
    func rejectsEveryOtherAlgorithm(alg: String, expected: TokenRejection) {
        #expect(verify(F.raw(header: F.header(alg: alg), payload: F.validPayload)) == .invalid(expected))
    }

    @Test func rejectsAlgNoneWithAnEmptySignature() {
        let unsigned = Base64.encode(Array(#"{"alg":"none","typ":"at+jwt"}"#.utf8)) + "."
            + Base64.encode(Array(F.validPayload.utf8)) + "."
        #expect(verify(unsigned) == .invalid(.malformed) || verify(unsigned) == .invalid(.unsupportedAlgorithm))
    }

    @Test func rejectsHS256SignedWithThePublicKeyAsSecret() {
        // The classic key-confusion attack: an HMAC "signed" with the public key bytes.
        let input = Base64.encode(Array(#"{"alg":"HS256","typ":"at+jwt","kid":"\#(F.kid)"}"#.utf8)) + "."
            + Base64.encode(Array(F.validPayload.utf8))
        let forged = input + "." + Base64.encode(Sodium.sha256(F.key.publicKey + Array(input.utf8)))
        #expect(verify(forged) == .invalid(.unsupportedAlgorithm))
    }

    @Test(arguments: [
        #","jwk":{"kty":"OKP","crv":"Ed25519","x":"AAAA"}"#, #","jku":"https://evil.example/jwks"#,
        #","x5u":"https://evil.example/cert"#, #","crit":["exp"]"#, #","x5c":["AAAA"]"#, #","cty":"JWT""#,
    ])
    func rejectsHeadersBeyondAlgTypKid(extra: String) {
        let fixedExtra = extra.hasSuffix("\"") || extra.hasSuffix("]") || extra.hasSuffix("}") ? extra : extra + "\""
        #expect(verify(F.raw(header: F.header(extra: fixedExtra), payload: F.validPayload)) == .invalid(.forbiddenHeader))
    }

    @Test(arguments: ["JWT", "jwt", "at+JWT-x", ""])
    func rejectsAnotherType(typ: String) {
        #expect(verify(F.raw(header: F.header(typ: typ), payload: F.validPayload)) == .invalid(.wrongType))
    }

    @Test func acceptsTheMediaTypeFormOfTheType() {
        guard case .valid = verify(F.raw(header: F.header(typ: "application/at+jwt"), payload: F.validPayload)) else {
            Issue.record("application/at+jwt refused")
            return
        }
    }

    @Test func rejectsAMissingType() {
        let header = #"{"alg":"EdDSA","kid":"\#(F.kid)"}"#
        #expect(verify(F.raw(header: header, payload: F.validPayload)) == .invalid(.wrongType))
    }

    @Test func rejectsAnUnknownKidAndNamesIt() {
        let other = Ed25519.PrivateKey()
        let otherKid = JWK.thumbprint(publicKey: other.publicKey)
        let token = AccessTokenSigner(key: other, kid: otherKid).sign(F.claims())
        #expect(verify(token) == .invalid(.unknownKey(kid: otherKid)))
    }

    @Test func rejectsASignatureByAnotherKeyUnderAKnownKid() {
        let token = AccessTokenSigner(key: Ed25519.PrivateKey(), kid: F.kid).sign(F.claims())
        #expect(verify(token) == .invalid(.badSignature))
    }

    @Test func rejectsTamperedClaims() {
        let parts = F.token().split(separator: ".").map(String.init)
        let forgedPayload = Base64.encode(F.claims(exp: 1_900_000_000).json)
        #expect(verify([parts[0], forgedPayload, parts[2]].joined(separator: ".")) == .invalid(.badSignature))
    }

    @Test(arguments: [
        "", "a", "a.b", "a.b.c.d", "..", "x.y.z", "a.b.c.", ".a.b",
    ])
    func rejectsMalformedStructure(_ token: String) {
        #expect(verify(token) == .invalid(.malformed))
    }

    @Test func rejectsExtraSegmentsOfAValidToken() {
        #expect(verify(F.token() + "." + Base64.encode([1, 2, 3])) == .invalid(.malformed))
    }

    @Test func rejectsPaddedOrStandardAlphabetBase64() {
        let parts = F.token().split(separator: ".").map(String.init)
        #expect(verify(parts[0] + "=." + parts[1] + "." + parts[2]) == .invalid(.malformed))
        let standard = parts[2].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        if standard != parts[2] {
            #expect(verify(parts[0] + "." + parts[1] + "." + standard) == .invalid(.malformed))
        }
    }

    @Test func rejectsAnOversizedToken() {
        let header = F.header(extra: #","pad":""# + String(repeating: "A", count: 5000) + "\"")
        #expect(verify(F.raw(header: header, payload: F.validPayload)) == .invalid(.malformed))
    }

    @Test func rejectsHeadersThatAreNotJSONObjects() {
        #expect(verify(F.raw(header: "[]", payload: F.validPayload)) == .invalid(.malformed))
        #expect(verify(F.raw(header: "{", payload: F.validPayload)) == .invalid(.malformed))
        #expect(verify(F.raw(header: F.header(), payload: "null")) == .invalid(.malformed))
    }

    @Test func checksExpiryWithLeeway() {
        let token = F.token(F.claims(exp: 1_800_000_100))
        guard case .valid = verify(token, at: Date(timeIntervalSince1970: 1_800_000_129)) else {
            Issue.record("refused within leeway")
            return
        }
        #expect(verify(token, at: Date(timeIntervalSince1970: 1_800_000_130)) == .invalid(.expired))
    }

    @Test func rejectsTokensIssuedInTheFutureOrNotYetValid() {
        #expect(verify(F.token(F.claims(exp: 1_800_001_000, iat: 1_800_000_031))) == .invalid(.notYetValid))
        var claims = F.claims()
        claims.notBefore = 1_800_000_100
        #expect(verify(F.token(claims)) == .invalid(.notYetValid))
    }

    @Test func rejectsWrongIssuerAndAudience() {
        #expect(verify(F.token(F.claims(iss: "https://evil.example.com"))) == .invalid(.wrongIssuer))
        #expect(verify(F.token(F.claims(aud: "billing"))) == .invalid(.wrongAudience))
    }

    @Test(arguments: ["iss", "sub", "aud", "exp", "iat", "jti", "sid", "client_id"])
    func requiresEveryClaim(name: String) throws {
        var object = try JSONSerialization.jsonObject(with: Data(F.validPayload.utf8)) as! [String: Any]
        object[name] = nil
        let payload = String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
        #expect(verify(F.raw(header: F.header(), payload: payload)) == .invalid(.missingClaim(name)))
    }

    @Test func rejectsNonNumericAndAbsurdTimes() {
        let stringExp = F.validPayload.replacingOccurrences(of: #""exp":1800000600"#, with: #""exp":"1800000600""#)
        #expect(verify(F.raw(header: F.header(), payload: stringExp)) == .invalid(.missingClaim("exp")))
        let hugeExp = F.validPayload.replacingOccurrences(of: #""exp":1800000600"#, with: #""exp":1e300"#)
        #expect(verify(F.raw(header: F.header(), payload: hugeExp)) == .invalid(.missingClaim("exp")))
    }

    @Test func rejectsDuplicateMembersInHeaderOrClaims() {
        let header = #"{"alg":"EdDSA","typ":"at+jwt","kid":"\#(F.kid)","\u0061lg":"none"}"#
        #expect(verify(F.raw(header: header, payload: F.validPayload)) == .invalid(.malformed))
        let payload = String(F.validPayload.dropLast()) + #","exp":1}"#
        #expect(verify(F.raw(header: F.header(), payload: payload)) == .invalid(.malformed))
    }

    @Test func capsTheLeewayAtSixtySeconds() {
        #expect(AccessTokenVerifier(issuer: "i", audience: "a", leeway: 3600).leeway == 60)
    }

    @Test func parsesAJWKSAndSkipsKeysItCannotUse() throws {
        let jwks = JWKSet(keys: [JWK(publicKey: F.key.publicKey)]).json
        let mixed = jwks.replacingOccurrences(
            of: "]}", with: #",{"kty":"RSA","kid":"r","n":"AQAB","e":"AQAB"},{"kty":"OKP","crv":"Ed25519","x":"short","kid":"bad"}]}"#)
        let keys = try VerificationKeys(jwks: Array(mixed.utf8))
        #expect(keys.kids == [F.kid])
        guard case .valid = verify(F.token(), keys: keys) else {
            Issue.record("key from JWKS refused")
            return
        }
    }
}
