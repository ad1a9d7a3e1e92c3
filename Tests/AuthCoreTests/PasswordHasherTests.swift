import AuthCrypto
import Testing

@testable import AuthCore

/// Known answers computed with the reference implementation (argon2-cffi's bundled libargon2).
@Suite struct PasswordHasherTests {
    static let vectors = [
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2i$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$wWKIMhR9lyDFvRz9YTZweHKfbftvj+qf+YFY4NeBbtA",
        "$argon2d$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$lV5dWxY6G2C7o1/DbQSWR0+6T2tZrVNihmbwf7L5Pq8",
        "$argon2id$v=19$m=4096,t=3,p=4$c29tZXNhbHQ$poE/0h2cjbv+UlPDgRVOHqwlmCAYo5LF5leMrvQqVrI",
        "$argon2i$v=16$m=65536,t=2,p=1$c29tZXNhbHQ$9sTbSlTio3Biev89thdrlKKiCaYsjjYVJxGAL3swxpQ",
    ]
    let hasher = try! PasswordHasher(parameters: Harness.cheap)

    @Test(arguments: vectors)
    func verifiesReferenceHashesOfEveryVariant(_ hash: String) throws {
        #expect(try hasher.verify(Password("password"), against: hash))
        #expect(try !hasher.verify(Password("passwore"), against: hash))
    }

    @Test func verifiesShortSaltsAndTagsAndNormalizesPasswords() throws {
        let hash = "$argon2id$v=19$m=64,t=1,p=1$MTIzNDU2Nzg$++Ch3zXgFiurR+Ix3NdekA"  // password "été", NFC
        #expect(try hasher.verify(Password("\u{E9}t\u{E9}"), against: hash))
        #expect(try hasher.verify(Password("e\u{301}te\u{301}"), against: hash))  // decomposed form, same password
    }

    @Test func libsodiumAndLibargon2ComputeTheSameTag() throws {
        let salt = Sodium.randomBytes(16)
        let password = SecretBytes("hunter22hunter22".utf8)
        let parameters = Argon2Parameters(memoryKiB: 256, iterations: 2, parallelism: 1)
        let sodium = try SodiumArgon2.hash(
            variant: .argon2id, password: password, salt: salt, iterations: 2, memoryKiB: 256, outputLength: 32)
        let reference = try LibArgon2.hash(
            variant: .argon2id, version: 0x13, password: password, salt: salt, parameters: parameters, outputLength: 32)
        #expect(sodium == reference)
    }

    @Test func hashesAsArgon2idPHCWithTheConfiguredCostAndAFreshSalt() throws {
        let first = try hasher.hash(Password("correct horse battery"))
        let second = try hasher.hash(Password("correct horse battery"))
        #expect(first.hasPrefix("$argon2id$v=19$m=64,t=1,p=1$"))
        #expect(first != second)
        let parsed = try #require(Argon2Hash(phc: first))
        #expect(parsed.salt.count == 16 && parsed.tag.count == 32)
        #expect(try hasher.verify(Password("correct horse battery"), against: first))
        #expect(try !hasher.verify(Password("correct horse batterY"), against: first))
    }

    @Test func needsRehashWhenAlgorithmOrCostDiffers() throws {
        #expect(!hasher.needsRehash(try hasher.hash(Password("correct horse battery"))))
        for vector in Self.vectors { #expect(hasher.needsRehash(vector)) }
        #expect(hasher.needsRehash("$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"))
    }

    @Test(arguments: [
        "", "$argon2id$", "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ",
        "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ=$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=999999999,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$t=2,m=65536,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2x$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=18$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
        "$argon2id$v=19$m=65536,t=0,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc",
    ])
    func neverMatchesAMalformedHash(_ stored: String) throws {
        #expect(try !hasher.verify(Password("password"), against: stored))
    }

    @Test func decoyHashHasTheConfiguredCost() throws {
        let decoy = try #require(Argon2Hash(phc: hasher.decoyHash))
        #expect(decoy.variant == .argon2id && decoy.parameters == Harness.cheap)
    }
}

@Suite struct TypedFormTests {
    /// argon2id of the NFD bytes of "pässwörd-é", as a system that doesn't normalize would store it.
    static func hashOfTypedForm(_ parameters: Argon2Parameters) throws -> String {
        var hash = Argon2Hash(
            variant: .argon2id, parameters: parameters, salt: Array(repeating: 1, count: 16),
            tag: Array(repeating: 0, count: 32))
        hash.tag = try Argon2.tag(
            for: hash, password: SecretBytes(Array("pa\u{308}sswo\u{308}rd-e\u{301}".utf8)), kernel: InProcessArgon2Kernel())
        return hash.phc
    }

    /// The password as typed is tried only against hashes this service would replace: ours were
    /// made over the NFC form, so a second try would only double an attacker's leverage.
    @Test func theTypedFormIsTriedOnlyForImportedOrOutdatedHashes() throws {
        let hasher = try PasswordHasher(parameters: Harness.cheap)
        let typed = Password("pa\u{308}sswo\u{308}rd-e\u{301}")
        #expect(try !hasher.verify(typed, against: try Self.hashOfTypedForm(Harness.cheap)))
        let other = Argon2Parameters(memoryKiB: 128, iterations: 1, parallelism: 1)
        #expect(try hasher.verify(typed, against: try Self.hashOfTypedForm(other)))
    }
}
