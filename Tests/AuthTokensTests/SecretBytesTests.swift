import AuthCrypto
import Testing

/// Secrets are read in place; these check what the in-place accessors give back.
struct SecretBytesTests {
    @Test func holdsTheBytesGiven() {
        let secret = SecretBytes("pässword".utf8)
        #expect(secret.count == "pässword".utf8.count)
        #expect(secret.withUnsafeBytes { Array($0) } == Array("pässword".utf8))
        #expect(secret.withCString { String(cString: $0) } == "pässword")
        #expect(!secret.contains(0) && SecretBytes([1, 0, 2]).contains(0))
    }

    @Test func comparesAndJoins() {
        #expect(SecretBytes("abc".utf8).equals(SecretBytes("abc".utf8)))
        #expect(!SecretBytes("abc".utf8).equals(SecretBytes("abd".utf8)))
        #expect(!SecretBytes("abc".utf8).equals(SecretBytes("abcd".utf8)))
        let joined = SecretBytes(SecretBytes("pass".utf8), followedBy: [0xFF, 0x00])
        #expect(joined.withUnsafeBytes { Array($0) } == Array("pass".utf8) + [0xFF, 0x00])
    }

    @Test func emptyAndRandom() {
        let empty = SecretBytes([UInt8]())
        #expect(empty.count == 0 && empty.withUnsafeBytes { $0.baseAddress != nil })  // C gets a valid pointer
        #expect(empty.withCString { String(cString: $0) } == "")
        let a = SecretBytes.random(count: 32), b = SecretBytes.random(count: 32)
        #expect(a.count == 32 && !a.equals(b))
    }
}
