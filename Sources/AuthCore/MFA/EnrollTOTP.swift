import AuthCrypto
import Foundation

/// `POST /v1/mfa/totp`: after the password, a new TOTP secret waiting for its first code
/// (replacing an earlier pending one), with the `otpauth` URI an authenticator app scans.
public struct EnrollTOTP: Sendable {
    let store: any MFAStore
    let confirm: ConfirmPassword
    let keys: KeyRing
    let settings: AuthSettings
    let clock: WallClock
    let random: RandomSource

    public struct Enrolment: Sendable {
        /// Base32 without padding, as authenticator apps take it.
        public var secret: String
        public var otpauthURI: String
    }

    public func callAsFunction(_ principal: Principal, password: String, client: ClientInfo) async throws -> Enrolment {
        let account = principal.account
        try await confirm(password, of: account, client: client)
        let secret = random.bytes(TOTP.secretLength)
        let factor = TOTPFactor(accountID: account.id, sealedSecret: try keys.seal(secret), createdAt: clock.seconds)
        guard try await store.beginTOTPEnrolment(factor) else { throw AuthError.mfaAlreadyEnabled }
        let encoded = Base32.encode(secret)
        return Enrolment(secret: encoded, otpauthURI: Self.uri(secret: encoded, email: account.email, issuer: settings.totpIssuerName))
    }

    /// `otpauth://totp/ISSUER:EMAIL?secret=…&issuer=ISSUER&algorithm=SHA1&digits=6&period=30`,
    /// the label and issuer percent-encoded (Google Authenticator's Key Uri Format).
    static func uri(secret: String, email: String, issuer: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        let encode = { (text: String) in text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text }
        return "otpauth://totp/\(encode(issuer)):\(encode(email))?secret=\(secret)&issuer=\(encode(issuer))"
            + "&algorithm=SHA1&digits=\(TOTP.digits)&period=\(TOTP.period)"
    }
}

extension AuthError {
    static let mfaAlreadyEnabled = AuthError(.mfaEnabled, "A second factor is already on; turn it off first.")
}
