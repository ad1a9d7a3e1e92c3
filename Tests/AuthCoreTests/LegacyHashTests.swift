import AuthCrypto
import Testing

@testable import AuthCore

/// Real hashes of "password" made by each system's own tools: Python `bcrypt`, passlib,
/// `hashlib`, libxcrypt's `crypt`. Each must verify, refuse a wrong password, be recognised,
/// and be upgraded to argon2id at the next login.
@Suite struct LegacyHashTests {
    static let vectors: [(String, PasswordHashScheme)] = [
        ("$2b$04$SvvxOVdhodsvZFBHLK9o9Op80YQXfetIFEXaRedvPoV8brUK8tXOW", .bcrypt),
        ("$2a$04$6hHKdHLbjdtNZ4gVMa/9gePTG3D5vTXoVsGATC3sd0..C3XSCBuWm", .bcrypt),
        ("$2y$04$abcdefghijklmnopqrstuughE8Ev8uGFaUgY2cNEySvxngrb/Jzdm", .bcrypt),
        ("$1$1XWtXkNd$bbw7ouZRRXAPWKzLhBZFf0", .md5Crypt),
        ("$5$rounds=1000$Jjz5cqFKYbcExpRm$buuRgxvFelkDTVDPZlgv7KApetgz/B9FtDQJiWpLZa0", .sha256Crypt),
        ("$6$rounds=1000$WXSojk2heXUFxuPC$24UgzULfwAjYJ4FakDYYt0yAA0EpnquamXw6lcXURfgjkZjbUYyQPLiTvc2e2J2Z1z4RuvwMTOcsAJz5KMgYc0", .sha512Crypt),
        ("$y$j9T$F5Jx5fExrKuPp53xLKQ..1$tnSYvahCwPBHKZUspmcxMfb0.WiB9W.zEaKlOBL35rC", .yescrypt),
        ("$pbkdf2-sha256$1000$613LGWNMae3dm7OWMqZ0Dg$0.OBEBV6WxQ6/B3Go7wt4zgPKpPoNMDhOtYGfBSe7Ro", .pbkdf2SHA256),
        ("$pbkdf2-sha512$1000$p7RWao2RMqb0fm/tHQMA4A$FmfgZOdYgWv9AGPWkGdY3gutX4vMT9hBypbMJcMvZ..k64WjeGxu4.bIcZRghhyQycON4.8Aqe6FoZvgz3gEKQ", .pbkdf2SHA512),
        ("$pbkdf2-sha256$i=1000,l=32$MDEyMzQ1Njc4OWFiY2RlZg$hRRjgXWkW8ResfIvBP99J/T4vkgEmMRV/0tJTOjR59I", .pbkdf2SHA256),
        ("$pbkdf2-sha512$i=1000,l=64$MDEyMzQ1Njc4OWFiY2RlZg$38DzhdBT7fPaUGBlsh42VTuuKSFAIYGZJ7l6feCDLIl+K3hdPFgxxu7xuUi4gIuH6cEIoODn18xH9Ig2ryNgUw", .pbkdf2SHA512),
        ("pbkdf2_sha256$1000$gqT1at063Bia$9FGVhFJJnj0D9KNdzwur/ikgSNSWBkGJMXthCUJ5ucg=", .pbkdf2SHA256),
        ("$scrypt$ln=4,r=8,p=1$SimFMOZ8D+G813pvrVXKuQ$B79sLKNErCHxrzZKpRM4DMNTfI7FLh/a/1l4kU45u1E", .scrypt),
        ("{SSHA256}MgaJeFYpmNTAt79PeqJEP61ctkvKeInhI5Zfe+ZVGCmwFmLsXQvBWA==", .ssha256),
        ("{SSHA}poCYiCIi9PBUm7OkIGunXhPqyPecEyJk", .ssha),
        ("$pbkdf2$1000$KqV0bg1hzLmXUqqVklKqtQ$VytTvw7IfYxhUwIJOW4ctlayxlc", .pbkdf2SHA1),
        ("pbkdf2_sha1$1000$JnM8wT1olW1Z$+VuuEzfGhJcr2hnfiNUKFW5Z6Dg=", .pbkdf2SHA1),
        ("bcrypt_sha256$$2b$04$GwPkRuE6/gM2wURB/m/B0.KyHp1CCKAwEuRLy.0fmmIlaitDopdQS", .bcryptSHA256),
        ("scrypt$1024$Xy1lTzcUHQ9tbFzpzM3UQa$8$1$GaIXY0L6NYlON9EW6S/x+x89scO+yiwZHsTclgMLrHvDLQ0A7t5HjimXGlOsNmZoPs+qQOSWxPHMyGRHB5O0Fw==", .scrypt),
        ("{SSHA512}teSN9SsVsrFfcxu4d4dHrWtHcbYieNtSP8nzLEXRcxXalnJzUoGGRaT9ZydVP3rhQGavaj/GCiBASDhcBdSQFAJAiLHWem8N", .ssha512),
    ]

    @Test(arguments: vectors)
    func verifiesEachFormat(_ hash: String, _ scheme: PasswordHashScheme) throws {
        let hasher = try PasswordHasher(parameters: Harness.cheap)
        #expect(PasswordHashScheme.identify(hash) == scheme)
        #expect(try hasher.verify(Password("password"), against: hash))
        #expect(try !hasher.verify(Password("Password"), against: hash))
        #expect(hasher.needsRehash(hash))
    }

    @Test(arguments: [
        "$2b$04$SvvxOVdhodsvZFBHLK9o9Op80YQXfetIFEXaRedvPoV8brUK8tXO", "$2b$99$SvvxOVdhodsvZFBHLK9o9Op80YQXfetIFEXaRedvPoV8brUK8tXOW",
        "$6$x$short", "$pbkdf2-sha256$0$613LGWNMae3dm7OWMqZ0Dg$0.OBEBV6WxQ6/B3Go7wt4zgPKpPoNMDhOtYGfBSe7Ro",
        "pbkdf2_sha1$0$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "pbkdf2_md5$1000$salt$AAAAAAAAAAAAAAAAAAAAAAAAAAA=", "$scrypt$ln=40,r=8,p=1$c2FsdA$AAAAAAAAAAAAAAAAAAAAAA",
        "{SSHA256}c2hvcnQ=", "{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", "plaintext", "",
        // Costs no login should pay (found by Fuzz/, kept in Fuzz/Regressions/hash): hours of bcrypt or
        // sha-crypt, yescrypt and scrypt asking for 4 GiB to 128 GiB, argon2 for 4 GiB × 1000 passes,
        // PBKDF2-SHA-1 at the iteration limit but with 7 output blocks, yescrypt parameters libxcrypt can't read.
        "$2b$31$SvvxOVdhodsvZFBHLK9o9Op80YQXfetIFEXaRedvPoV8brUK8tXOW",
        "bcrypt_sha256$$2b$20$GwPkRuE6/gM2wURB/m/B0.KyHp1CCKAwEuRLy.0fmmIlaitDopdQS",
        "$6$rounds=999999999$WXSojk2heXUFxuPC$24UgzULfwAjYJ4FakDYYt0yAA0EpnquamXw6lcXURfgjkZjbUYyQPLiTvc2e2J2Z1z4RuvwMTOcsAJz5KMgYc0",
        "$5$rounds=1e9$Jjz5cqFKYbcExpRm$buuRgxvFelkDTVDPZlgv7KApetgz/B9FtDQJiWpLZa0",
        "$y$jHT$F5Jx5fExrKuPp53xLKQ..1$tnSYvahCwPBHKZUspmcxMfb0.WiB9W.zEaKlOBL35rC",
        "$y$j{SSHA512}2T$F5Jx5fExrKuPp53xLKQ..1$tnSYvahC{SSHA256}mcxMfb0.WiB9W.zEaKlOBL35rC",
        "$scrypt$ln=24,r=64,p=64$MDEyMzQ1Njc4OWFiY2RlZg$c8unoZL1fMiTW9VzsIzI4XiLIjeYmhsk2dCIUg21RpY",
        "$argon2id$v=19$m=4194304,t=1000,p=1$MDEyMzQ1Njc4OWFiY2RlZg$c8unoZL1fMiTW9VzsIzI4XiLIjeYmhsk2dCIUg21RpY",
        "$pbkdf2$10000000$KqV0bg1hzLmXUqqVklKqtQ$" + String(repeating: "A", count: 170) + "Q",
    ])
    func refusesMalformedOrUnknownHashes(_ hash: String) throws {
        #expect(PasswordHashScheme.identify(hash) == nil)
        #expect(try !PasswordHashScheme.verify(Password("password"), against: hash, tryingTypedForm: true))
    }

    @Test func legacyHashesOfUnnormalizedPasswordsStillVerify() throws {
        // Python bcrypt over the NFD bytes of "pässwörd-é": other systems hash what was typed.
        let hash = "$2b$04$AStDykS3l1e5a5gIqojGv.pttL1ZVp14IfGm4gU9QkrP1j4yH/Wkm"
        #expect(try PasswordHashScheme.verify(Password("pa\u{308}sswo\u{308}rd-e\u{301}"), against: hash, tryingTypedForm: true))
        #expect(try !PasswordHashScheme.verify(Password("passwd-e"), against: hash, tryingTypedForm: true))
    }

    @Test func pbkdf2MatchesRFCVectors() {
        // RFC 7914 §11: PBKDF2-HMAC-SHA256 (P="passwd", S="salt", c=1, dkLen=64).
        let sha256 = LegacyDigests.pbkdf2(password: SecretBytes("passwd".utf8), salt: Array("salt".utf8), iterations: 1, length: 64, digest: .sha256)
        #expect(sha256?.prefix(8) == [0x55, 0xac, 0x04, 0x6e, 0x56, 0xe3, 0x08, 0x9f])
        // RFC 6070 §2: PBKDF2-HMAC-SHA1 (P="password", S="salt", c=2, dkLen=20).
        let sha1 = LegacyDigests.pbkdf2(password: SecretBytes("password".utf8), salt: Array("salt".utf8), iterations: 2, length: 20, digest: .sha1)
        #expect(sha1?.prefix(4) == [0xea, 0x6c, 0x01, 0x4d])
    }

    @Test func scryptMatchesRFC7914Vectors() throws {
        // RFC 7914 §12: scrypt (P="password", S="NaCl", N=1024, r=8, p=16).
        let derived = try Sodium.scrypt(password: SecretBytes("password".utf8), salt: Array("NaCl".utf8), logN: 10, r: 8, p: 16, length: 64)
        #expect(derived.prefix(8) == [0xfd, 0xba, 0xbe, 0x1c, 0x9d, 0x34, 0x72, 0x00])
    }

    @Test(arguments: vectors.map(\.0))
    func importedLegacyHashesLogInAndAreUpgraded(_ hash: String) async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        #expect(try await h.store.replacePasswordHash(accountID: account.id, expected: account.passwordHash!, with: hash, now: 0))
        #expect(await errorCode { _ = try await h.logIn(password: "wrong password") } == .invalidGrant)
        #expect(try await h.store.account(id: account.id)?.passwordHash == hash)  // a failure changes nothing
        _ = try await h.logIn(password: "password")
        let upgraded = try #require(try await h.store.account(id: account.id)?.passwordHash)
        #expect(upgraded.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        _ = try await h.logIn(password: "password")
    }
}
