import Testing

@testable import AuthCore

@Suite struct PasswordPolicyTests {
    let policy = PasswordPolicy(extraBlocklist: ["acme-corp-2026"])

    func rejection(_ password: String, email: String? = nil) -> String? {
        do {
            _ = try policy.check(password, email: email)
            return nil
        } catch {
            #expect(error.code == .weakPassword)
            return error.message
        }
    }

    @Test func acceptsALongUnusualPassword() {
        #expect(rejection("correct horse battery") == nil)
    }

    @Test func countsCodePointsAfterNormalization() {
        #expect(rejection("sevenCh") != nil)
        #expect(rejection("eightChr") == nil)
        #expect(rejection("🔑🔑🔑🔑🔑🔑🔑🔑") == nil)  // 8 characters, 32 bytes
        #expect(rejection("e\u{301}e\u{301}e\u{301}e\u{301}") != nil)  // 4 characters once composed
    }

    @Test func rejectsOverlongPasswordsByBytes() {
        #expect(rejection(String(repeating: "a", count: 1024)).map { $0.contains("1024") } != true)
        #expect(rejection(String(repeating: "ab", count: 512) + "c")!.contains("1024 bytes"))
    }

    @Test(arguments: ["password", "12345678", "PassWord", "qwertyuiop", "iloveyou", "Acme-Corp-2026"])
    func rejectsCommonAndBlocklistedPasswords(_ password: String) {
        #expect(rejection(password)!.contains("common"))
    }

    @Test func shipsThousandsOfCommonPasswords() {
        #expect(CommonPasswords.set.count > 5_000)
    }

    @Test func rejectsTheEmailAsPassword() {
        #expect(rejection("Ada@Example.com", email: "ada@example.com")!.contains("email"))
    }
}

@Suite struct EmailTests {
    @Test func trimsAndLowercases() throws {
        #expect(try Email.normalize("  Ada@Example.COM \n") == "ada@example.com")
    }

    @Test func composesSoLookAlikesAreOneAccount() throws {
        #expect(try Email.normalize("jose\u{301}@example.com") == Email.normalize("jos\u{E9}@example.com"))
    }

    @Test(arguments: [
        "", "ada", "@example.com", "ada@", "ada@@example.com", "a@b@c", "ada@example..com", "ada @example.com",
        "ada@exa\u{0}mple.com", String(repeating: "a", count: 250) + "@x.io", "a\u{200B}@example.com",
        "ada@example.com\u{202E}", "=HYPERLINK(\"x\")@x.io", "+cmd@x.io", "a(b)@x.io",
    ])
    func rejectsMalformedAddresses(_ text: String) {
        #expect(throws: AuthError.self) { try Email.normalize(text) }
    }
}
