/// Auth0's password-hash export: NDJSON, one user a line, e.g.
/// `{"_id":{"$oid":"…"},"email":"…","email_verified":true,"passwordHash":"$2b$10$…","password_set_date":{"$date":"…"}}`.
/// Auth0 ids are not UUIDs, so each account gets a UUID derived from its Auth0 id.
enum Auth0Export {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        JSONLinesReader.objects(text).map { line, object in
            guard let object else { return (line, .failure(TransferError("not a JSON object"))) }
            let id = object["user_id"] as? String ?? (object["_id"] as? [String: Any])?["$oid"] as? String
            let created = object["created_at"] as? String
            let blocked = object["blocked"] as? Bool ?? false
            return (line, TransferRecord.validate(
                id: id, email: object["email"] as? String, status: blocked ? "disabled" : "active", createdAt: created,
                passwordHash: object["passwordHash"] as? String, now: now, system: "auth0"))
        }
    }
}
