import AuthCrypto
import Testing

@testable import AuthCore

/// TOTP and recovery codes through the use cases, the codes computed from the enrolment's secret.
@Suite struct SecondFactorTests {
    let client = Harness.client

    /// An account with TOTP on: its grant from before, the secret's bytes and the recovery codes.
    func enrolled(_ h: Harness) async throws -> (grant: TokenGrant, secret: SecretBytes, codes: [String]) {
        let (_, grant) = try await h.account()
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        let enrolment = try await h.service.enrollTOTP(principal, password: "correct horse battery", client: client)
        let secret = SecretBytes(try #require(Self.base32Decode(enrolment.secret)))
        let codes = try await h.service.confirmTOTP(principal, code: code(secret, h), client: client)
        h.clock.advance(30)  // the enrolment's code is spent; the next step's is fresh
        return (grant, secret, codes)
    }

    func code(_ secret: SecretBytes, _ h: Harness, offset: Int64 = 0) -> String {
        TOTP.code(secret: secret, step: TOTP.step(at: h.clock.now.seconds) + offset)
    }

    func mfaToken(_ h: Harness, clientID: String? = nil) async throws -> String {
        let result = try await h.service.logIn(email: "ada@example.com", password: "correct horse battery", client: client, clientID: clientID)
        guard case .mfaRequired(let token) = result else { throw AuthError(.invalidGrant, "no MFA asked") }
        return token
    }

    static func base32Decode(_ text: String) -> [UInt8]? {
        var bits = 0, buffer: UInt32 = 0, out: [UInt8] = []
        for character in text.utf8 {
            guard let value = Base32.alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                out.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits - 8)))
                bits -= 8
            }
        }
        return out
    }

    @Test func enrolmentNeedsThePasswordAndTheFirstCode() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(await errorCode { _ = try await h.service.enrollTOTP(principal, password: "wrong", client: client) } == .invalidGrant)
        #expect(await errorCode { _ = try await h.service.confirmTOTP(principal, code: "123456", client: client) } == .notFound)
        let first = try await h.service.enrollTOTP(principal, password: "correct horse battery", client: client)
        let second = try await h.service.enrollTOTP(principal, password: "correct horse battery", client: client)
        #expect(first.secret != second.secret && second.secret.count == 32)
        let stale = SecretBytes(try #require(Self.base32Decode(first.secret)))
        #expect(await errorCode { _ = try await h.service.confirmTOTP(principal, code: code(stale, h), client: client) } == .invalidCode)
        let codes = try await h.service.confirmTOTP(principal, code: code(SecretBytes(Self.base32Decode(second.secret)!), h), client: client)
        #expect(codes.count == 10)
        #expect(try await h.store.account(id: account.id)?.mfaEnabled == true)
        #expect(await errorCode { _ = try await h.service.enrollTOTP(principal, password: "correct horse battery", client: client) } == .mfaEnabled)
    }

    @Test func aLoginWithTOTPOnTakesTheCodeOnceAndSaysSoInAmr() async throws {
        let h = try await Harness()
        let (_, secret, _) = try await enrolled(h)
        let token = try await mfaToken(h, clientID: "web")
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: token, proof: .totp(code(secret, h)), client: client, clientID: "app") } == .invalidGrant)
        let grant = try await h.service.completeMFALogin(mfaToken: token, proof: .totp(code(secret, h)), client: client)
        let session = try #require(try await h.store.session(id: grant.sessionID))
        #expect(session.authenticationMethods == .passwordAndTOTP && session.clientID == "web")
        let claims = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(claims.session.authenticationMethods.values == ["pwd", "otp", "mfa"])
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: token, proof: .totp(code(secret, h)), client: client) } == .invalidGrant)
        let replay = try await mfaToken(h)
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: replay, proof: .totp(code(secret, h)), client: client) } == .invalidGrant)
        let refreshed = try await h.service.refresh(token: grant.refreshToken, client: client)
        #expect(try await h.store.session(id: refreshed.sessionID)?.authenticationMethods == .passwordAndTOTP)
    }

    @Test func aRecoveryCodeWorksOnce() async throws {
        let h = try await Harness()
        let (_, _, codes) = try await enrolled(h)
        let grant = try await h.service.completeMFALogin(mfaToken: try await mfaToken(h), proof: .recoveryCode(codes[0].uppercased()), client: client)
        #expect(try await h.store.session(id: grant.sessionID)?.authenticationMethods == .passwordAndRecoveryCode)
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: try await mfaToken(h), proof: .recoveryCode(codes[0]), client: client) } == .invalidGrant)
    }

    @Test func theFifthWrongCodeEndsTheMFATokenAndEachCountsAsAFailedLogin() async throws {
        let h = try await Harness { $0.lockoutThreshold = 100 }
        let (_, secret, _) = try await enrolled(h)
        let token = try await mfaToken(h)
        for _ in 0..<5 {
            #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: token, proof: .totp("000000"), client: client) } == .invalidGrant)
        }
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: token, proof: .totp(code(secret, h)), client: client) } == .invalidGrant)
        let failures = try await h.store.updateLoginFailures(email: "ada@example.com", ips: [client.addressKey], now: h.clock.now.seconds) { _ in [.keep] }
        #expect(failures.first??.failures == 5)  // the sixth met no live mfa_token: no attempt
    }

    @Test func anMFATokenExpires() async throws {
        let h = try await Harness { $0.mfaTokenTTL = 60 }
        let (_, secret, _) = try await enrolled(h)
        let token = try await mfaToken(h)
        h.clock.advance(60)
        #expect(await errorCode { _ = try await h.service.completeMFALogin(mfaToken: token, proof: .totp(code(secret, h)), client: client) } == .invalidGrant)
    }

    @Test func disablingNeedsACodeAndAnAdminCanResetIt() async throws {
        let h = try await Harness()
        let (grant, secret, codes) = try await enrolled(h)
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(await errorCode { try await h.service.disableTOTP(principal, code: "000000", client: client) } == .invalidCode)
        let fresh = try await h.service.regenerateRecoveryCodes(principal, code: code(secret, h), client: client)
        #expect(Set(fresh).isDisjoint(with: codes))
        try await h.service.disableTOTP(try await h.service.authenticate(bearer: grant.accessToken), code: fresh[9], client: client)
        _ = try await h.logIn()
        let again = try await h.service.authenticate(bearer: grant.accessToken)
        #expect(!again.account.mfaEnabled)
        #expect(await errorCode { try await h.service.disableTOTP(again, code: "000000", client: client) } == .notFound)

        // An admin's reset, on a fresh account with TOTP on.
        let h2 = try await Harness()
        let (_, _, _) = try await enrolled(h2)
        let account = try #require(try await h2.store.account(email: "ada@example.com"))
        let admin = Administration(store: h2.store, actor: ClientInfo(ip: "", userAgent: "tests"), clock: h2.clock.now)
        #expect(try await admin.resetMFA(account))
        #expect(try await !admin.resetMFA(account))
        _ = try await h2.logIn()
    }

    @Test func aResetByEmailLeavesTOTPOn() async throws {
        let h = try await Harness()
        _ = try await enrolled(h)
        try await h.service.forgotPassword(email: "ada@example.com", client: client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: client)
        let result = try await h.service.logIn(email: "ada@example.com", password: "a brand new passphrase", client: client)
        guard case .mfaRequired = result else { Issue.record("TOTP went off"); return }
    }
}
