import AuthCrypto
import Testing

@testable import AuthCore

@Suite struct TOTPTests {
    static let rfcSecret = SecretBytes(Array("12345678901234567890".utf8))

    /// RFC 6238 Appendix B, SHA-1 column (8 digits).
    @Test(arguments: [
        (Int64(59), "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"), (1_234_567_890, "89005924"),
        (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func matchesTheRFCVectors(time: Int64, code: String) {
        #expect(TOTP.code(secret: Self.rfcSecret, step: TOTP.step(at: time), digits: 8) == code)
        #expect(TOTP.code(secret: Self.rfcSecret, step: TOTP.step(at: time)) == String(code.suffix(6)))
    }

    @Test func acceptsOneStepOfDriftAndNothingUsedBefore() {
        let now: Int64 = 1_111_111_111, step = TOTP.step(at: now)
        let code = { (step: Int64) in TOTP.code(secret: Self.rfcSecret, step: step) }
        for offset in [-1, 0, 1] as [Int64] {
            #expect(TOTP.matchingStep(code(step + offset), secret: Self.rfcSecret, at: now, after: -1) == step + offset)
        }
        #expect(TOTP.matchingStep(code(step - 2), secret: Self.rfcSecret, at: now, after: -1) == nil)
        #expect(TOTP.matchingStep(code(step + 2), secret: Self.rfcSecret, at: now, after: -1) == nil)
        #expect(TOTP.matchingStep(code(step), secret: Self.rfcSecret, at: now, after: step) == nil)
        #expect(TOTP.matchingStep(code(step + 1), secret: Self.rfcSecret, at: now, after: step) == step + 1)
        for junk in ["", "12345", "1234567", "abcdef", " 12345", "１２３４５６"] {
            #expect(TOTP.matchingStep(junk, secret: Self.rfcSecret, at: now, after: -1) == nil)
        }
    }

    @Test func base32IsRFC4648WithoutPadding() {
        #expect(Base32.encode(Array("foobar".utf8)) == "MZXW6YTBOI")
        #expect(Base32.encode(Array("12345678901234567890".utf8)) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ")
    }

    @Test func recoveryCodesAreReadLeniently() {
        let (codes, hashes) = RecoveryCodes.generate(.system)
        #expect(codes.count == 10 && Set(codes).count == 10)
        #expect(codes.allSatisfy { $0.wholeMatch(of: /[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}/) != nil })
        let spaced = codes[3].uppercased().replacingOccurrences(of: "-", with: " ")
        #expect(RecoveryCodes.match(spaced, among: hashes) == hashes[3])
        #expect(RecoveryCodes.match(codes[3].replacingOccurrences(of: "-", with: ""), among: hashes) == hashes[3])
        #expect(RecoveryCodes.match("aaaa-aaaa-aaaa-aaaa", among: hashes) == nil)
        #expect(RecoveryCodes.match("not a code", among: hashes) == nil)
    }

    @Test func theURIIsWhatAuthenticatorAppsRead() {
        let uri = EnrollTOTP.uri(secret: "GEZDGNBV", email: "ada+x@example.com", issuer: "Acme Auth")
        #expect(
            uri == "otpauth://totp/Acme%20Auth:ada%2Bx@example.com?secret=GEZDGNBV&issuer=Acme%20Auth&algorithm=SHA1&digits=6&period=30")
    }
}
