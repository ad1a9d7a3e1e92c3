import AuthCore
import AuthCrypto
import ServerSupport

/// The bytes between the server and an argon2 worker, little-endian. A request is a fixed
/// header, then the salt, then the password; an answer is a status, a length, then the tag.
/// Each side checks every length against a bound before reading what follows, so neither can
/// make the other allocate or wait for more than a hash needs.
enum Argon2Frame {
    /// A login's password is bounded only by the request body.
    static let maximumPasswordBytes = BodyReader.maximumBytes
    static let maximumSaltBytes = 1024
    static let maximumTagBytes = 1024
    /// libsodium's shortest output (`crypto_pwhash_BYTES_MIN`).
    static let minimumTagBytes = 16
    static let version: UInt8 = 1

    /// What precedes the salt and the password.
    struct RequestHeader: Equatable {
        static let size = 22

        var variant: SodiumArgon2.Variant
        var iterations: UInt32
        var memoryKiB: UInt32
        var outputLength: Int
        var saltLength: Int
        var passwordLength: Int

        init(_ request: Argon2Request) {
            variant = request.variant
            iterations = request.iterations
            memoryKiB = request.memoryKiB
            outputLength = request.outputLength
            saltLength = request.salt.count
            passwordLength = request.password.count
        }

        /// Refuses a wrong version or variant, and any value past its bound: the memory and the
        /// work the server accepts of a stored hash (`Argon2Parameters.isValid`), the lengths above.
        init?(_ bytes: some Collection<UInt8>) {
            let bytes = Array(bytes)
            guard bytes.count == Self.size, bytes[0] == version else { return nil }
            switch bytes[1] {
            case 1: variant = .argon2i
            case 2: variant = .argon2id
            default: return nil
            }
            iterations = bytes.littleEndianUInt32(at: 2)
            memoryKiB = bytes.littleEndianUInt32(at: 6)
            outputLength = Int(bytes.littleEndianUInt32(at: 10))
            saltLength = Int(bytes.littleEndianUInt32(at: 14))
            passwordLength = Int(bytes.littleEndianUInt32(at: 18))
            guard isWithinBounds else { return nil }
        }

        private var isWithinBounds: Bool {
            Argon2Parameters(memoryKiB: memoryKiB, iterations: iterations, parallelism: 1).isValid
                && (minimumTagBytes...maximumTagBytes).contains(outputLength) && saltLength <= maximumSaltBytes
                && passwordLength <= maximumPasswordBytes
        }

        /// The header, or nil when a value is past its bound (the request can't be sent).
        var bytes: [UInt8]? {
            guard isWithinBounds else { return nil }
            var bytes = [version, variant == .argon2i ? 1 : 2]
            for value in [iterations, memoryKiB, UInt32(outputLength), UInt32(saltLength), UInt32(passwordLength)] {
                bytes.appendLittleEndian(value)
            }
            return bytes
        }
    }

    /// What precedes the tag: whether libsodium computed it, and its length.
    enum AnswerHeader: Equatable {
        static let size = 5

        /// A tag of this length follows.
        case tag(length: Int)
        /// libsodium refused the parameters or ran out of memory; nothing follows.
        case failed

        /// The header that answers a request for `outputLength` bytes, or nil for anything else.
        init?(_ bytes: some Collection<UInt8>, expecting outputLength: Int) {
            let bytes = Array(bytes)
            guard bytes.count == Self.size else { return nil }
            let length = Int(bytes.littleEndianUInt32(at: 1))
            switch (bytes[0], length) {
            case (0, outputLength): self = .tag(length: length)
            case (1, 0): self = .failed
            default: return nil
            }
        }

        var bytes: [UInt8] {
            switch self {
            case .tag(let length):
                var bytes: [UInt8] = [0]
                bytes.appendLittleEndian(UInt32(length))
                return bytes
            case .failed: return [1, 0, 0, 0, 0]
            }
        }
    }
}

extension [UInt8] {
    fileprivate func littleEndianUInt32(at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(self[offset + $1]) << (8 * $1) }
    }

    fileprivate mutating func appendLittleEndian(_ value: UInt32) {
        for shift in stride(from: 0, to: 32, by: 8) { append(UInt8(truncatingIfNeeded: value >> shift)) }
    }
}
