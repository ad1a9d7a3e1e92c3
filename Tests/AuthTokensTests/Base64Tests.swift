import AuthCrypto
import Testing

@Suite struct Base64Tests {
    @Test(arguments: [0, 1, 2, 3, 4, 5, 31, 32, 33, 64])
    func roundTripsEveryLength(count: Int) {
        let bytes = Sodium.randomBytes(count)
        #expect(Base64.decode(Base64.encode(bytes)) == bytes)
        #expect(Base64.decode(Base64.encode(bytes, alphabet: .standard), alphabet: .standard) == bytes)
    }

    @Test func encodesRFC4648Vectors() {
        #expect(Base64.encode(Array("foobar".utf8), alphabet: .standard, padding: true) == "Zm9vYmFy")
        #expect(Base64.encode(Array("fo".utf8), alphabet: .standard, padding: true) == "Zm8=")
        #expect(Base64.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64.encode([0xFB, 0xFF], alphabet: .standard) == "+/8")
    }

    @Test(arguments: ["Zm8=", "Zm9", "Zg=", "Z", "a+b", "a/b_", "ab c", "Zm9vYmF", "Zh"])
    func rejectsNonCanonicalURLInput(_ text: String) {
        // Padding, the other alphabet, impossible lengths and non-zero trailing bits ("Zh" ≠ "Zg").
        #expect(Base64.decode(text) == nil)
    }
}
