import CSodium

/// Secret bytes (a password, a private key, the key-encryption key) in memory of their own,
/// wiped with `sodium_memzero` when the last reference goes. They are read in place through
/// `withUnsafeBytes`, so no unwiped copy is made along the way.
public final class SecretBytes: @unchecked Sendable {  // @unchecked: the bytes never change after init
    private let storage: UnsafeMutableRawBufferPointer
    /// How many bytes.
    public let count: Int

    /// `count` bytes written in place by `initialize` (a C function's output), never copied.
    public init<E: Error>(count: Int, initializingWith initialize: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        self.count = count
        storage = .allocate(byteCount: max(count, 1), alignment: 16)  // never empty: a valid pointer for C
        storage.initializeMemory(as: UInt8.self, repeating: 0)
        try initialize(UnsafeMutableRawBufferPointer(rebasing: storage[..<count]))
    }

    public convenience init(_ bytes: some Collection<UInt8>) {
        self.init(count: bytes.count) { $0.copyBytes(from: bytes) }
    }

    /// `first` followed by `second`.
    public convenience init(_ first: SecretBytes, followedBy second: some Collection<UInt8>) {
        self.init(count: first.count + second.count) { buffer in
            first.withUnsafeBytes { UnsafeMutableRawBufferPointer(rebasing: buffer[..<first.count]).copyMemory(from: $0) }
            UnsafeMutableRawBufferPointer(rebasing: buffer[first.count...]).copyBytes(from: second)
        }
    }

    /// `count` random bytes from the system CSPRNG.
    public static func random(count: Int) -> SecretBytes {
        Sodium.ensureInitialized()
        return SecretBytes(count: count) { randombytes_buf($0.baseAddress!, $0.count) }
    }

    /// Calls `body` with the bytes in place; the pointer is never nil, even for no bytes.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: storage.baseAddress, count: count))
    }

    /// Calls `body` with the bytes as a NUL-terminated C string in scratch memory wiped afterwards.
    public func withCString<R>(_ body: (UnsafePointer<CChar>) throws -> R) rethrows -> R {
        let scratch = UnsafeMutablePointer<CChar>.allocate(capacity: count + 1)
        scratch.initialize(repeating: 0, count: count + 1)
        defer {
            sodium_memzero(scratch, count + 1)
            scratch.deallocate()
        }
        if count > 0 { UnsafeMutableRawPointer(scratch).copyMemory(from: storage.baseAddress!, byteCount: count) }
        return try body(scratch)
    }

    /// Whether `byte` occurs in the bytes.
    public func contains(_ byte: UInt8) -> Bool {
        withUnsafeBytes { $0.contains(byte) }
    }

    /// Whether both hold the same bytes, in time that depends on the length only.
    public func equals(_ other: SecretBytes) -> Bool {
        withUnsafeBytes { mine in other.withUnsafeBytes { Sodium.constantTimeEqual(mine, $0) } }
    }

    deinit {
        sodium_memzero(storage.baseAddress, storage.count)
        storage.deallocate()
    }
}
