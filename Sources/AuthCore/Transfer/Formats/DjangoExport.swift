import Foundation

/// Django's `manage.py dumpdata auth.user`: a JSON array of `{"model": "auth.user", "pk",
/// "fields": {"password", "email", "is_active", "date_joined"}}`, passwords as
/// `pbkdf2_sha256$…`, `bcrypt$…` or `argon2$…`. Integer primary keys become derived UUIDs.
enum DjangoExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        guard let objects = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [[String: Any]] else {
            return [(1, .failure(TransferError("not a JSON array of dumpdata objects")))]
        }
        var locator = JSONLineLocator(text)
        return objects.map { object in
            let pk = object["pk"].map { "\($0)" }
            let line = locator.line(of: "\"pk\"")
            guard object["model"] as? String == "auth.user", let fields = object["fields"] as? [String: Any] else {
                return (line, .failure(TransferError("not an auth.user object")))
            }
            if let password = fields["password"] as? String, password.isEmpty || password.hasPrefix("!") {
                return (line, .failure(.passwordless("unusable password (set_unusable_password)")))
            }
            let active = fields["is_active"] as? Bool ?? true
            return (line, TransferRecord.validate(
                id: pk, email: fields["email"] as? String, status: active ? "active" : "disabled",
                createdAt: fields["date_joined"] as? String, passwordHash: (fields["password"] as? String).map(standardHash),
                now: now, system: "django"))
        }
    }

    /// Django prefixes hashes of other libraries with its hasher name: `bcrypt$$2b$…`, `argon2$argon2id$…`.
    static func standardHash(_ password: String) -> String {
        for prefix in ["bcrypt$", "argon2"] where password.hasPrefix(prefix) {
            return String(password.dropFirst(prefix.count))
        }
        return password
    }
}
