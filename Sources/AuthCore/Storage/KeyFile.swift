import AuthCrypto
import Foundation

/// The key-encryption key that seals private signing keys at rest: 32 random bytes,
/// base64 in a file of mode 0600. Whoever holds the database without this file can't sign.
public enum KeyFile {
    public struct KeyFileError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads the key at `path`, creating the file with a fresh key if it does not exist.
    /// Refuses a file that other users can read, or one that doesn't hold a key.
    ///
    /// A new key is written whole to a file of its own beside `path`, then linked into place,
    /// which fails if `path` exists by then: nodes started at once on one key file each find
    /// either no file or a complete one, and one node's key never replaces another's.
    public static func loadOrCreate(path: String) throws -> (key: SecretBytes, created: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try load(path: path), false) }
        let key = SecretBox.generateKey()
        let draft = "\(path).\(UInt64.random(in: 0...UInt64.max)).new"
        let descriptor = open(draft, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else {
            throw KeyFileError(description: "cannot create key file \(path): \(String(cString: strerror(errno)))")
        }
        defer { unlink(draft) }
        var text = Array((key.withUnsafeBytes { Base64.encode($0, alphabet: .standard, padding: true) } + "\n").utf8)
        let written = text.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        text.withUnsafeMutableBytes { Sodium.wipe($0.baseAddress!, count: $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == text.count, synced else {
            throw KeyFileError(description: "cannot write key file \(path)")
        }
        guard link(draft, path) == 0 else {
            guard errno == EEXIST else {
                throw KeyFileError(description: "cannot create key file \(path): \(String(cString: strerror(errno)))")
            }
            return (try load(path: path), false)  // another node created it first
        }
        return (key, true)
    }

    /// Reads an existing key file.
    public static func load(path: String) throws -> SecretBytes {
        let attributes = try? FileManager.default.attributesOfItem(atPath: path)
        if let mode = attributes?[.posixPermissions] as? Int, mode & 0o077 != 0 {
            throw KeyFileError(
                description: "key file \(path) is readable by other users (mode \(String(mode, radix: 8))); run chmod 600")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw KeyFileError(description: "cannot read key file \(path)")
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard var decoded = Data(base64Encoded: text), decoded.count == SecretBox.keyLength else {
            throw KeyFileError(description: "key file \(path) does not hold a 32-byte base64 key")
        }
        defer { decoded.withUnsafeMutableBytes { Sodium.wipe($0.baseAddress!, count: $0.count) } }
        return SecretBytes(decoded)
    }
}
