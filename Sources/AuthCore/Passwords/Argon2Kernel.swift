import AuthCrypto

/// One hash for libsodium's argon2: what `Argon2Kernel` computes.
public struct Argon2Request: Sendable {
    public let variant: SodiumArgon2.Variant
    public let password: SecretBytes
    public let salt: [UInt8]
    public let iterations: UInt32
    public let memoryKiB: UInt32
    public let outputLength: Int

    public init(
        variant: SodiumArgon2.Variant, password: SecretBytes, salt: [UInt8], iterations: UInt32, memoryKiB: UInt32,
        outputLength: Int
    ) {
        self.variant = variant
        self.password = password
        self.salt = salt
        self.iterations = iterations
        self.memoryKiB = memoryKiB
        self.outputLength = outputLength
    }
}

/// Where libsodium's argon2 runs: in this process, or elsewhere (the token service's helper
/// processes, so that argon2's 64 MiB map and unmap per hash stay out of its address space).
public protocol Argon2Kernel: Sendable {
    /// The raw tag of `request`; throws when it can't be computed.
    func tag(for request: Argon2Request) throws -> [UInt8]
}

/// libsodium's argon2 on the calling thread: authctl, the benchmarks and the tests.
public struct InProcessArgon2Kernel: Argon2Kernel {
    public init() {}

    public func tag(for request: Argon2Request) throws -> [UInt8] {
        try SodiumArgon2.hash(
            variant: request.variant, password: request.password, salt: request.salt, iterations: request.iterations,
            memoryKiB: request.memoryKiB, outputLength: request.outputLength)
    }
}
