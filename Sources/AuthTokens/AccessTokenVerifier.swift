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

    public init(issuer: String, audience: String, leeway: Int64 = 30) {
        self.issuer = issuer
        self.audience = audience
        self.leeway = min(max(leeway, 0), Self.maximumLeeway)
    }

    /// Verifies `token` against `keys` at the time `now`.
    public func verify(_ token: String, keys: VerificationKeys, now: Date) -> TokenVerification {
        let bytes = Array(token.utf8)
        guard bytes.count <= Self.maximumTokenLength else { return .invalid(.malformed) }
        let dots = bytes.indices.filter { bytes[$0] == UInt8(ascii: ".") }
        guard dots.count == 2 else { return .invalid(.malformed) }
        let headerPart = bytes[..<dots[0]]
        let payloadPart = bytes[(dots[0] + 1)..<dots[1]]
        let signaturePart = bytes[(dots[1] + 1)...]

        guard let headerJSON = decode(headerPart), let payloadJSON = decode(payloadPart),
            let signature = decode(signaturePart), !DuplicateKeys.present(in: headerJSON)
        else { return .invalid(.malformed) }

        let header: TokenHeader
        do {
            header = try JSONDecoder().decode(TokenHeader.self, from: Data(headerJSON))
        } catch is TokenHeader.ForbiddenMember {
            return .invalid(.forbiddenHeader)
        } catch {
            return .invalid(.malformed)
        }
        guard JWSAlgorithm(rawValue: header.alg) != nil else { return .invalid(.unsupportedAlgorithm) }
        guard let typ = header.typ?.lowercased(), typ == "at+jwt" || typ == "application/at+jwt" else {
            return .invalid(.wrongType)
        }
        guard let kid = header.kid else { return .invalid(.unknownKey(kid: "")) }
        guard let publicKey = keys.publicKey(kid: kid) else { return .invalid(.unknownKey(kid: kid)) }
        let signingInput = bytes[..<dots[1]]
        guard Ed25519.verify(signature: signature, message: Array(signingInput), publicKey: publicKey) else {
            return .invalid(.badSignature)
        }

        guard !DuplicateKeys.present(in: payloadJSON),
            let wire = try? JSONDecoder().decode(WireClaims.self, from: Data(payloadJSON))
        else {
            return .invalid(.malformed)
        }
        return validate(wire, now: now)
    }

    private func decode(_ part: ArraySlice<UInt8>) -> [UInt8]? {
        part.withUnsafeBytes { Base64.decode(utf8: $0, alphabet: .url) }
    }

    private func validate(_ wire: WireClaims, now: Date) -> TokenVerification {
        guard let iss = wire.iss else { return .invalid(.missingClaim("iss")) }
        guard iss == issuer else { return .invalid(.wrongIssuer) }
        guard let aud = wire.aud else { return .invalid(.missingClaim("aud")) }
        guard aud.contains(audience) else { return .invalid(.wrongAudience) }
        guard let sub = wire.sub else { return .invalid(.missingClaim("sub")) }
        guard let exp = wire.exp?.numericDate else { return .invalid(.missingClaim("exp")) }
        guard let iat = wire.iat?.numericDate else { return .invalid(.missingClaim("iat")) }
        guard let jti = wire.jti else { return .invalid(.missingClaim("jti")) }
        guard let sid = wire.sid else { return .invalid(.missingClaim("sid")) }
        var nbf: Int64?
        if let rawNotBefore = wire.nbf {
            guard let value = rawNotBefore.numericDate else { return .invalid(.missingClaim("nbf")) }
            nbf = value
        }
        let seconds = now.timeIntervalSince1970
        guard seconds < Double(exp + leeway) else { return .invalid(.expired) }
        guard Double(iat - leeway) <= seconds else { return .invalid(.notYetValid) }
        if let nbf, Double(nbf - leeway) > seconds { return .invalid(.notYetValid) }
        let audience: String = aud.contains(self.audience) ? self.audience : ""
        return .valid(
            AccessTokenClaims(
                issuer: iss, subject: sub, audience: audience, expiresAt: exp, issuedAt: iat, notBefore: nbf,
                tokenID: jti, sessionID: sid))
    }
}
