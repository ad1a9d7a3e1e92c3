import AuthCrypto
import Testing

@testable import AuthTokens

/// Known-answer tests from RFC 8037 Appendix A.
@Suite struct RFC8037Tests {
    static let d = "nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"
    static let x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"
    static let key = try! Ed25519.PrivateKey(seed: Base64.decode(d)!)

    @Test func derivesThePublicKeyOfA1() {
        #expect(Base64.encode(Self.key.publicKey) == Self.x)
    }

    @Test func computesTheThumbprintOfA3() {
        #expect(JWK.thumbprint(publicKey: Self.key.publicKey) == "kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k")
    }

    @Test func reproducesTheSignatureOfA4ByteForByte() {
        let jws = JWS.sign(
            header: Array(#"{"alg":"EdDSA"}"#.utf8), payload: Array("Example of Ed25519 signing".utf8), key: Self.key)
        #expect(
            jws == "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc."
                + "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")
    }

    @Test func verifiesTheSignatureOfA5AndRejectsATamperedOne() {
        let signature = Base64.decode(
            "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg")!
        let input = Array("eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc".utf8)
        #expect(Ed25519.verify(signature: signature, message: input, publicKey: Self.key.publicKey))
        var tampered = signature
        tampered[0] ^= 1
        #expect(!Ed25519.verify(signature: tampered, message: input, publicKey: Self.key.publicKey))
    }
}
