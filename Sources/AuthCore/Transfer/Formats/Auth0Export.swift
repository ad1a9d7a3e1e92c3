import AuthTokens

/// Auth0's password-hash export: NDJSON, one user a line, e.g.
/// `{"_id":{"$oid":"…"},"email":"…","email_verified":true,"passwordHash":"$2b$10$…","password_set_date":{"$date":"…"}}`.
/// Auth0 ids are not UUIDs, so each account gets a UUID derived from its Auth0 id.
enum Auth0Export {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        JSONLinesReader.rows(text) { line, object in
            guard let object else { return (line, .failure(TransferError("not a JSON object"))) }
            let id = object["user_id"]?.string ?? object["_id"]?.object?["$oid"]?.string
            let blocked = object["blocked"] == .bool(true)
            return (line, TransferRecord.validate(
                id: id, email: object["email"]?.string, status: blocked ? "disabled" : "active",
                createdAt: object["created_at"]?.string, passwordHash: object["passwordHash"]?.string, now: now, system: "auth0"))
        }
    }
}
