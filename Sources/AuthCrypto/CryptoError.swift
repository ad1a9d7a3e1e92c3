/// A failure of a cryptographic operation. Its description never holds key material.
public struct CryptoError: Error, Equatable, CustomStringConvertible {
    enum Reason: Equatable { case invalidKey, openFailed, kdfFailed }
    let reason: Reason

    /// A key has the wrong length or is unusable.
    public static let invalidKey = CryptoError(reason: .invalidKey)
    /// A sealed box failed authentication: wrong key or tampered data.
    public static let openFailed = CryptoError(reason: .openFailed)
    /// A key-derivation function refused its parameters or ran out of memory.
    public static let kdfFailed = CryptoError(reason: .kdfFailed)

    public var description: String {
        switch reason {
        case .invalidKey: "invalid key"
        case .openFailed: "sealed data failed authentication (wrong key or tampered data)"
        case .kdfFailed: "key derivation failed"
        }
    }
}
