import AuthCore
import Foundation
import ServerSupport

/// Delivery without a mail server (`AUTH_SMTP_URL` unset): each mail becomes `ID.eml`
/// (mode 0600) in `AUTH_MAIL_DIR`, so a developer can open it and follow its link. Written
/// to a temporary name, synced and renamed: a retry rewrites the same file, never a second one.
struct MailFolderTransport: MailTransport {
    let folder: String

    /// Creates the folder (mode 0700) if it is missing.
    init(folder: String) throws {
        self.folder = folder
        do {
            try FileManager.default.createDirectory(
                atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StartupError.badSetting("AUTH_MAIL_DIR: cannot create \(folder)")
        }
    }

    func deliver(_ message: [UInt8], to recipient: String, mailID: String) async throws {
        let path = URL(fileURLWithPath: folder).appendingPathComponent("\(mailID).eml").path
        try await BlockingWork.run { try Self.store(message, at: path) }
    }

    /// Writes `message` to a temporary file, syncs it and renames it to `path`.
    private static func store(_ message: [UInt8], at path: String) throws {
        let temporary = path + ".partial"
        let descriptor = open(temporary, O_CREAT | O_TRUNC | O_NOFOLLOW | O_WRONLY, 0o600)
        guard descriptor >= 0 else { throw failure("cannot create", temporary) }
        fchmod(descriptor, 0o600)  // whatever the umask
        let written = message.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        let synced = fsync(descriptor) == 0
        close(descriptor)
        guard written == message.count, synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw failure("cannot write", path)
        }
    }

    private static func failure(_ what: String, _ path: String) -> MailDeliveryError {
        MailDeliveryError(permanent: false, "\(what) \(path): \(String(cString: strerror(errno)))")
    }
}
