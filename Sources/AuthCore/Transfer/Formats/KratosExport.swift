import Foundation

/// Ory Kratos identities (`kratos list identities --format json`, or the admin API): a JSON array
/// of `{"id", "traits": {"email"}, "state", "created_at", "credentials": {"password": {"config":
/// {"hashed_password"}}}}`. Kratos writes argon2id, bcrypt and PBKDF2 hashes, all standard strings.
enum KratosExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        guard let identities = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else {
            return [(1, .failure(TransferError("not a JSON array of identities")))]
        }
        var locator = JSONLineLocator(text)
        return identities.map { identity in
            let id = identity["id"] as? String
            let line = locator.line(of: "\"\(id ?? "id")\"")
            let traits = identity["traits"] as? [String: Any]
            let password = ((identity["credentials"] as? [String: Any])?["password"] as? [String: Any])?["config"] as? [String: Any]
            guard password?["hashed_password"] != nil else {
                return (line, .failure(.passwordless("no password credential (OIDC, passkey or code login)")))
            }
            let state = identity["state"] as? String ?? "active"
            return (line, TransferRecord.validate(
                id: id, email: traits?["email"] as? String, status: state == "active" ? "active" : "disabled",
                createdAt: identity["created_at"] as? String, passwordHash: password?["hashed_password"] as? String, now: now))
        }
    }
}
