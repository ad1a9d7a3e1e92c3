import AuthCrypto
import WireFormat

/// Issues access tokens: compact JWS, header exactly `{"alg","typ":"at+jwt","kid"}`.
public struct AccessTokenSigner: Sendable {
    public let key: Ed25519.PrivateKey
    public let kid: String
    public let algorithm: JWSAlgorithm
    /// BASE64URL(header), the same for every token.
    private let encodedHeader: [UInt8]

    public init(key: Ed25519.PrivateKey, kid: String, algorithm: JWSAlgorithm = .edDSA) {
        self.key = key
        self.kid = kid
        self.algorithm = algorithm
        let header = JSONText.object([
            ("alg", JSONText.string(algorithm.rawValue)), ("typ", JSONText.string("at+jwt")),
            ("kid", JSONText.string(kid)),
        ])
        encodedHeader = Array(Base64.encode(Array(header.utf8)).utf8)
    }

    /// The signed compact token for `claims`.
    public func sign(_ claims: AccessTokenClaims) -> String {
        JWS.sign(encodedHeader: encodedHeader, payload: claims.json, key: key)
    }
}
