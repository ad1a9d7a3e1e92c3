/// The outcome of verifying an access token. Rejections are values, not errors:
/// a bad token is an expected input, and callers answer every case the same way (401).
public enum TokenVerification: Sendable, Equatable {
    case valid(AccessTokenClaims)
    case invalid(TokenRejection)
}

/// Why a token was refused. Meant for logs and metrics, never for the client.
public enum TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    /// Not three base64url segments of JSON objects, or over the size limit.
    case malformed
    /// `alg` is not EdDSA/Ed25519 (`none`, HS256, RS256, …).
    case unsupportedAlgorithm
    /// The header carries a member other than `alg`, `typ` and `kid` (`jwk`, `jku`, `x5u`, `crit`, …).
    case forbiddenHeader
    /// `typ` is not `at+jwt`.
    case wrongType
    /// No trusted key has this `kid`; a verifier fed from a JWKS URL may refetch.
    case unknownKey(kid: String)
    case badSignature
    case wrongIssuer
    case wrongAudience
    /// A required claim is missing or of the wrong type.
    case missingClaim(String)
    case expired
    case notYetValid

    public var description: String {
        switch self {
        case .malformed: "malformed"
        case .unsupportedAlgorithm: "unsupported_algorithm"
        case .forbiddenHeader: "forbidden_header"
        case .wrongType: "wrong_type"
        case .unknownKey: "unknown_key"
        case .badSignature: "bad_signature"
        case .wrongIssuer: "wrong_issuer"
        case .wrongAudience: "wrong_audience"
        case .missingClaim(let name): "missing_claim_\(name)"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        }
    }
}
