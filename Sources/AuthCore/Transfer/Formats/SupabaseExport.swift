import WireFormat

/// Supabase/GoTrue `auth.users` as CSV (`\copy auth.users TO … CSV HEADER`): bcrypt hashes in
/// `encrypted_password`, PostgreSQL timestamps; a banned or deleted user arrives disabled.
enum SupabaseExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        CSVReader.rows(text, required: ["id", "email", "encrypted_password"]) { line, value in
            guard value("encrypted_password") != nil else {
                return (line, .failure(.passwordless("no password (OAuth, SSO, phone or anonymous user)")))
            }
            let banned = value("banned_until").map { $0 == "infinity" || (postgresTime($0).map { $0 > now } ?? true) } ?? false
            let disabled = value("deleted_at") != nil || banned
            var created: String?
            if let raw = value("created_at") {
                guard let seconds = postgresTime(raw) else {
                    return (line, .failure(TransferError("created_at is not a PostgreSQL or RFC 3339 time")))
                }
                created = Timestamp.rfc3339(seconds)
            }
            return (line, TransferRecord.validate(
                id: value("id"), email: value("email"), status: disabled ? "disabled" : "active", createdAt: created,
                passwordHash: value("encrypted_password"), now: now))
        }
    }

    /// `2024-01-15 10:30:00.123456+00` (PostgreSQL's text form) or RFC 3339.
    static func postgresTime(_ text: String) -> Int64? {
        var iso = text.replacingOccurrences(of: " ", with: "T")
        if let sign = iso.lastIndex(where: { $0 == "+" || $0 == "-" }), iso.distance(from: sign, to: iso.endIndex) == 3 {
            iso += ":00"
        }
        return Timestamp.parse(iso, naiveAsUTC: true)
    }
}
