import AuthCrypto
import Foundation
import WireFormat

/// A Keycloak realm export (`kc.sh export --realm …`): `{"users": [{"id", "email", "enabled",
/// "createdTimestamp", "credentials": [{"type": "password", "secretData", "credentialData"}]}]}`.
/// Its PBKDF2 and argon2 credentials become standard strings (`$pbkdf2-sha256$i=…`, PHC argon2).
enum KeycloakExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        guard let realm = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any],
            let users = realm["users"] as? [[String: Any]]
        else { return [(1, .failure(TransferError("not a Keycloak realm export with users")))] }
        var locator = JSONLineLocator(text)
        return users.map { user in
            let id = user["id"] as? String
            let line = locator.line(of: "\"\(id ?? "id")\"")
            let credentials = user["credentials"] as? [[String: Any]] ?? []
            guard let password = credentials.first(where: { $0["type"] as? String == "password" }) else {
                return (line, .failure(.passwordless("no password credential (federated, social or service account)")))
            }
            let hash: String
            switch Result(catching: { () throws(TransferError) in try standardHash(password) }) {
            case .success(let standard): hash = standard
            case .failure(let error): return (line, .failure(error))
            }
            // Milliseconds. A time outside years 1–9999 formats as no RFC 3339 time, so it is refused
            // as a bad created_at.
            let created = (user["createdTimestamp"] as? NSNumber).map { Timestamp.rfc3339($0.int64Value / 1000) }
            return (line, TransferRecord.validate(
                id: id, email: user["email"] as? String, status: (user["enabled"] as? Bool ?? true) ? "active" : "disabled",
                createdAt: created, passwordHash: hash, now: now, system: "keycloak"))
        }
    }

    /// The credential as a standard hash string. Keycloak ≥ 12 keeps JSON strings in
    /// `secretData` (`value`, `salt`) and `credentialData` (`algorithm`, `hashIterations`,
    /// `additionalParameters`); older exports have `hashedSaltedValue`, `salt`, … on the credential.
    static func standardHash(_ credential: [String: Any]) throws(TransferError) -> String {
        let secret = json(credential["secretData"]) ?? credential
        let data = json(credential["credentialData"]) ?? credential
        guard let value = (secret["value"] ?? secret["hashedSaltedValue"]) as? String, let salt = secret["salt"] as? String,
            let algorithm = data["algorithm"] as? String
        else { throw TransferError("the password credential lacks its value, salt or algorithm") }
        let iterations = (data["hashIterations"] as? NSNumber)?.intValue ?? 0
        let unpadded = { (text: String) in text.replacingOccurrences(of: "=", with: "") }
        switch algorithm {
        case "pbkdf2-sha256", "pbkdf2-sha512":
            let length = (Data(base64Encoded: value)?.count).map(String.init) ?? "0"
            return "$\(algorithm)$i=\(iterations),l=\(length)$\(unpadded(salt))$\(unpadded(value))"
        case "argon2":
            let parameters = data["additionalParameters"] as? [String: Any] ?? [:]
            func parameter(_ name: String, _ fallback: String) -> String {
                (parameters[name] as? [String])?.first ?? parameters[name] as? String ?? fallback
            }
            let variant = "argon2" + parameter("type", "id")
            let version = parameter("version", "1.3") == "1.3" ? "$v=19" : "$v=16"
            let passes = iterations > 0 ? String(iterations) : parameter("iterations", "5")
            return "$\(variant)\(version)$m=\(parameter("memory", "7168")),t=\(passes),p=\(parameter("parallelism", "1"))$\(unpadded(salt))$\(unpadded(value))"
        case "pbkdf2":
            // HMAC-SHA-1, Keycloak's oldest default: written in passlib's `$pbkdf2$` form.
            guard let saltBytes = Base64.decodeLenient(salt, alphabet: .standard),
                let valueBytes = Base64.decodeLenient(value, alphabet: .standard)
            else { throw TransferError("the pbkdf2 credential's salt or value is not base64") }
            return "$pbkdf2$\(iterations)$\(PBKDF2Hash.adaptedBase64(saltBytes))$\(PBKDF2Hash.adaptedBase64(valueBytes))"
        default:
            throw TransferError("unknown Keycloak hash algorithm \(algorithm)")
        }
    }

    /// A JSON object encoded in a string, as Keycloak stores credential details.
    private static func json(_ value: Any?) -> [String: Any]? {
        guard let text = value as? String else { return nil }
        return (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
    }
}
