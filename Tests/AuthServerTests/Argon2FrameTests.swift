import AuthCore
import AuthCrypto
import Testing

@testable import AuthServer

/// The frames between the server and its argon2 workers: every length is checked against
/// its bound before anything after it is read.
@Suite struct Argon2FrameTests {
    static func request(
        variant: SodiumArgon2.Variant = .argon2id, password: Int = 12, salt: Int = 16, iterations: UInt32 = 3,
        memoryKiB: UInt32 = 65_536, output: Int = 32
    ) -> Argon2Request {
        Argon2Request(
            variant: variant, password: SecretBytes([UInt8](repeating: 0x61, count: password)),
            salt: [UInt8](repeating: 1, count: salt), iterations: iterations, memoryKiB: memoryKiB, outputLength: output)
    }

    @Test func aRequestHeaderReadsBackAsWritten() throws {
        for variant in [SodiumArgon2.Variant.argon2i, .argon2id] {
            let header = Argon2Frame.RequestHeader(Self.request(variant: variant, password: 65_536, salt: 1024, output: 1024))
            let bytes = try #require(header.bytes)
            #expect(bytes.count == Argon2Frame.RequestHeader.size)
            #expect(Argon2Frame.RequestHeader(bytes) == header)
        }
    }

    @Test(arguments: [
        request(password: 65_537), request(salt: 1025), request(output: 15), request(output: 1025),
        request(memoryKiB: 4_194_305), request(memoryKiB: 7), request(iterations: 0), request(iterations: 1001),
        request(iterations: 3, memoryKiB: 4_194_304),  // more work than any stored hash may ask
    ])
    func aRequestPastABoundIsNeverSent(_ request: Argon2Request) {
        #expect(Argon2Frame.RequestHeader(request).bytes == nil)
    }

    /// A valid header with `bytes[offset..<offset+4]` replaced by `value`, little-endian.
    static func header(setting offset: Int, to value: UInt32) -> [UInt8] {
        var bytes = Argon2Frame.RequestHeader(request()).bytes!
        for index in 0..<4 { bytes[offset + index] = UInt8(truncatingIfNeeded: value >> (8 * index)) }
        return bytes
    }

    @Test func aWorkerRefusesAGarbageHeader() {
        let valid = Argon2Frame.RequestHeader(Self.request()).bytes!
        #expect(Argon2Frame.RequestHeader(valid) != nil)
        #expect(Argon2Frame.RequestHeader(valid.dropLast()) == nil)
        #expect(Argon2Frame.RequestHeader(valid + [0]) == nil)
        #expect(Argon2Frame.RequestHeader([2] + valid.dropFirst()) == nil)  // another version
        for variant: UInt8 in [0, 3, 0xFF] {
            #expect(Argon2Frame.RequestHeader([valid[0], variant] + valid.dropFirst(2)) == nil)
        }
        let garbage: [(offset: Int, value: UInt32)] = [
            (2, 0), (2, 1001), (2, .max),  // iterations
            (6, 7), (6, 4_194_305), (6, .max),  // memory, KiB
            (10, 15), (10, 1025), (10, .max),  // output
            (14, 1025), (14, .max),  // salt
            (18, 65_537), (18, .max),  // password
        ]
        for (offset, value) in garbage {
            #expect(Argon2Frame.RequestHeader(Self.header(setting: offset, to: value)) == nil, "offset \(offset): \(value)")
        }
    }

    @Test func theServerAcceptsOnlyATagOfTheLengthItAskedFor() {
        let tag = Argon2Frame.AnswerHeader.tag(length: 32).bytes
        #expect(Argon2Frame.AnswerHeader(tag, expecting: 32) == .tag(length: 32))
        #expect(Argon2Frame.AnswerHeader(tag, expecting: 16) == nil)
        #expect(Argon2Frame.AnswerHeader(Argon2Frame.AnswerHeader.failed.bytes, expecting: 32) == .failed)
        #expect(Argon2Frame.AnswerHeader([1, 32, 0, 0, 0], expecting: 32) == nil)  // a failure carries nothing
        #expect(Argon2Frame.AnswerHeader([2, 32, 0, 0, 0], expecting: 32) == nil)
        #expect(Argon2Frame.AnswerHeader(tag.dropLast(), expecting: 32) == nil)
        #expect(Argon2Frame.AnswerHeader(Array("--argon2-worker".utf8.prefix(5)), expecting: 32) == nil)
    }
}
