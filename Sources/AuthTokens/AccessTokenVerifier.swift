import AuthCrypto
import Foundation

/// The one strict verifier of access tokens, shared by the token service and every
/// service that accepts its tokens.
///
/// It accepts only compact JWS signed with Ed25519 (`alg` EdDSA or Ed25519), a header
/// of exactly `alg`, `typ` (`at+jwt`) and `kid`, a key looked up by `kid` in the trusted
/// set (never taken from the token), and the expected `iss` and `aud` (RFC 9068 §4).
public struct AccessTokenVerifier: Sendable {
    /// Tokens longer than this are refused before any decoding.
    public static let maximumTokenLength = 4096
    /// The most clock skew tolerated on `exp`, `nbf` and `iat`.
    public static let maximumLeeway: Int64 = 60

    public let issuer: String
    public let audience: String
    public let leeway: Int64
    /// Where tokens that verified are remembered, if anywhere.
    public let cache: VerifiedTokenCache?

    public init(issuer: String, audience: String, leeway: Int64 = 30, cache: VerifiedTokenCache? = nil) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = min(max(leeway, 0), Self.maximumLeeway)
        self.cache = cache
    }

    /// Verifies `token` against `keys` at the time `now`.
    public func verify(_ token: String, keys: VerificationKeys, now: Date) -> TokenVerification {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumTokenLength else { return .invalid(.malformed) }
        let digest = cache.map { _ in VerifiedTokenCache.digest(bytes) }
        if let cache, let digest, let entry = cache.entry(digest, keys: keys, issuer: issuer, audience: audience) {
            let verification = checkTimes(entry.claims, now: now)
            if case .invalid = verification { cache.remove(digest) }
            return verification
        }
        let signed: VerifiedTokenCache.Entry
        do {
            signed = try verifySignature(bytes, keys: keys)
        } catch {
            return .invalid(error)
        }
        let verification = checkTimes(signed.claims, now: now)
        if case .valid = verification, let cache, let digest {
            cache.insert(digest, signed, now: Int64(now.timeIntervalSince1970))
        }
        return verification
    }

    /// The claims of a well-formed token whose signature verifies with the trusted key for its `kid`,
    /// for the expected issuer and audience; the times are not checked yet.
    private func verifySignature(_ bytes: [UInt8], keys: VerificationKeys) throws(TokenRejection) -> VerifiedTokenCache.Entry {
        guard let first = bytes.firstIndex(of: UInt8(ascii: ".")),
            let second = bytes[(first + 1)...].firstIndex(of: UInt8(ascii: ".")),
            !bytes[(second + 1)...].contains(UInt8(ascii: "."))
        else { throw .malformed }
        guard let headerJSON = decode(bytes[..<first]), let payloadJSON = decode(bytes[(first + 1)..<second]),
            let signature = decode(bytes[(second + 1)...])
        else { throw .malformed }

        let header = try TokenHeader(headerJSON)
        guard JWSAlgorithm(rawValue: header.alg) != nil else { throw .unsupportedAlgorithm }
        guard let typ = header.typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else {
            throw .wrongType
        }
        guard let kid = header.kid else { throw .unknownKey(kid: "") }
        guard let publicKey = keys.publicKey(kid: kid) else { throw .unknownKey(kid: kid) }
        guard Ed25519.verify(signature: signature, message: bytes[..<second], publicKey: publicKey) else {
            throw .badSignature
        }
        guard let wire = WireClaims(payloadJSON) else { throw .malformed }
        return .init(claims: try validate(wire), kid: kid, publicKey: publicKey)
    }

    private func decode(_ part: ArraySlice<UInt8>) -> [UInt8]? {
        part.withUnsafeBytes { Base64.decode(utf8: $0, alphabet: .url) }
    }

    /// Every required claim, of the right type, with the expected issuer and audience.
    private func validate(_ wire: WireClaims) throws(TokenRejection) -> AccessTokenClaims {
        guard let iss = wire.string("iss") else { throw .missingClaim("iss") }
        guard iss == issuer else { throw .wrongIssuer }
        guard let aud = wire.audience else { throw .missingClaim("aud") }
        guard aud.contains(audience) else { throw .wrongAudience }
        guard let sub = wire.string("sub") else { throw .missingClaim("sub") }
        guard let exp = wire.numericDate("exp") else { throw .missingClaim("exp") }
        guard let iat = wire.numericDate("iat") else { throw .missingClaim("iat") }
        guard let jti = wire.string("jti") else { throw .missingClaim("jti") }
        guard let sid = wire.string("sid") else { throw .missingClaim("sid") }
        guard let clientID = wire.string("client_id") else { throw .missingClaim("client_id") }
        var nbf: Int64?
        if wire.members["nbf"] != nil {
            guard let value = wire.numericDate("nbf") else { throw .missingClaim("nbf") }
            nbf = value
        }
        var amr: [String]?
        if let value = wire.members["amr"] {
            guard case .array(let items) = value, let methods = Optional(items.compactMap(\.string)), methods.count == items.count
            else { throw .missingClaim("amr") }
            amr = methods
        }
        return AccessTokenClaims(
            issuer: iss, subject: sub, audience: audience, expiresAt: exp, issuedAt: iat, notBefore: nbf,
            tokenID: jti, sessionID: sid, clientID: clientID, authenticationMethods: amr)
    }

    /// `exp`, `iat` and `nbf` against `now`, within the leeway.
    private func checkTimes(_ claims: AccessTokenClaims, now: Date) -> TokenVerification {
        let seconds = now.timeIntervalSince1970
        guard seconds < Double(claims.expiresAt + leeway) else { return .invalid(.expired) }
        guard Double(claims.issuedAt - leeway) <= seconds else { return .invalid(.notYetValid) }
        if let nbf = claims.notBefore, Double(nbf - leeway) > seconds { return .invalid(.notYetValid) }
        return .valid(claims)
    }
}
