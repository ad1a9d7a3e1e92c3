import AuthCrypto  // not a product of `auth`, but reachable through AuthTokens: the key type lives there
import AuthTokens
import Foundation
import WireFormat

/// The verifier as a service configures it, one fixed trusted key (seed 0x07 × 32, so seed tokens
/// in Corpus/token stay valid) and a fixed "now" inside the seed tokens' lifetime.
enum Fixture {
    static let key = try! Ed25519.PrivateKey(seed: [UInt8](repeating: 7, count: Ed25519.seedLength))
    static let kid = JWK.thumbprint(publicKey: key.publicKey)
    static let keys = VerificationKeys([kid: key.publicKey])
    static let verifier = AccessTokenVerifier(issuer: "https://auth.example.com", audience: "listings", leeway: 30)
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
}

/// One input, in one of two shapes:
/// - no NUL byte: the bytes are a token (verified against the trusted key), and also a JSON
///   text (the strict parser, checked against Foundation's) and a JWKS document;
/// - `header NUL payload`: the two are signed with the trusted key first, so the fuzzer reaches
///   the header rules and the claims checks behind the signature.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzToken(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    if let nul = bytes.firstIndex(of: 0) {
        check(JWS.sign(header: Array(bytes[..<nul]), payload: Array(bytes[(nul + 1)...]), key: Fixture.key))
        return 0
    }
    check(String(decoding: bytes, as: UTF8.self))
    checkJSON(bytes)
    if let keys = try? VerificationKeys(jwks: bytes) {
        for kid in keys.kids { precondition(keys.publicKey(kid: kid)?.count == Ed25519.publicKeyLength) }
    }
    if let set = try? JSONDecoder().decode(JWKSet.self, from: Data(bytes)) {
        for jwk in set.keys {
            if let key = jwk.ed25519PublicKey { precondition(JWK(publicKey: key).ed25519PublicKey == key) }
            _ = jwk.json
        }
    }
    return 0
}

/// Verifies `token` and, when it is accepted, checks what acceptance promises.
func check(_ token: String) {
    let result = Fixture.verifier.verify(token, keys: Fixture.keys, now: Fixture.now)
    // With a cache of verified tokens, a first and a second (cached) verification say the same.
    let cached = AccessTokenVerifier(
        issuer: Fixture.verifier.issuer, audience: Fixture.verifier.audience, leeway: Fixture.verifier.leeway,
        cache: VerifiedTokenCache(capacity: 4))
    for round in 1...2 {
        let again = cached.verify(token, keys: Fixture.keys, now: Fixture.now)
        precondition(again == result, "with a cache, verification \(round) says \(again), without \(result)")
    }
    guard case .valid(let claims) = result else { return }

    // Accepted only under the strict rules, checked here with an independent JSON parser.
    precondition(token.utf8.count <= AccessTokenVerifier.maximumTokenLength)
    let parts = token.split(separator: ".", omittingEmptySubsequences: false)
    precondition(parts.count == 3)
    let headerBytes = Base64.decode(parts[0], alphabet: .url)!
    let header = (try? JSONSerialization.jsonObject(with: Data(headerBytes))) as? [String: Any]
    precondition(header != nil, "accepted a header that is not a JSON object")
    precondition(Set(header!.keys).isSubset(of: ["alg", "typ", "kid"]), "accepted an extra header member")
    precondition(["EdDSA", "Ed25519"].contains(header!["alg"] as? String), "accepted another alg")
    precondition(header!["kid"] as? String == Fixture.kid, "accepted a kid that is not trusted")
    precondition(claims.issuer == Fixture.verifier.issuer && claims.audience == Fixture.verifier.audience)
    precondition(Double(claims.expiresAt + Fixture.verifier.leeway) > Fixture.now.timeIntervalSince1970)

    // The same claims, issued by the service's own signer, verify to the same claims.
    let reissued = AccessTokenSigner(key: Fixture.key, kid: Fixture.kid).sign(claims)
    let again = Fixture.verifier.verify(reissued, keys: Fixture.keys, now: Fixture.now)
    precondition(again == .valid(claims), "re-signed claims verify as \(again)")
}

/// JSONValue, the strict parser tokens and imports are read with, accepts only what Foundation's
/// JSONSerialization accepts too, and reads the same values from it.
func checkJSON(_ bytes: [UInt8]) {
    let strict: JSONValue
    do {
        strict = try JSONValue.parse(bytes)
    } catch {
        return
    }
    guard let foundation = try? JSONSerialization.jsonObject(with: Data(bytes), options: .fragmentsAllowed) else {
        preconditionFailure("JSONValue accepts what JSONSerialization refuses: \(strict)")
    }
    precondition(same(strict, foundation), "JSONValue reads \(strict), JSONSerialization \(foundation)")
}

func same(_ value: JSONValue, _ other: Any) -> Bool {
    switch value {
    case .null: return other is NSNull
    case .bool(let bool): return (other as? NSNumber)?.boolValue == bool && !(other is String)
    case .number(let number):
        guard let other = other as? NSNumber else { return false }
        return other.doubleValue == number || abs(other.doubleValue - number) <= abs(number) * 1e-15
    case .string(let string): return (other as? String).map { Array($0.utf8) == Array(string.utf8) } ?? false
    case .array(let elements):
        guard let others = other as? [Any], others.count == elements.count else { return false }
        return zip(elements, others).allSatisfy(same)
    case .object(let members):
        guard let others = other as? [String: Any], others.count == members.count else { return false }
        return members.allSatisfy { name, member in others[name].map { same(member, $0) } ?? false }
    }
}
