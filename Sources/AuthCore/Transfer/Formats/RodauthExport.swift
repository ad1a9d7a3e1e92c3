/// rodauth's `accounts` joined with `account_password_hashes`, as CSV:
/// `\copy (SELECT a.id, a.email, a.status_id, h.password_hash FROM accounts a
/// JOIN account_password_hashes h USING (id)) TO 'rodauth.csv' CSV HEADER`.
/// Integer ids become derived UUIDs; a closed account (`status_id` 3) arrives disabled.
enum RodauthExport {
    static func read(_ text: String, now: Int64) -> [ImportRow] {
        CSVReader.rows(text, required: ["id", "email", "password_hash"]) { line, value in
            let closed = value("status_id") == "3"
            return (line, TransferRecord.validate(
                id: value("id"), email: value("email"), status: closed ? "disabled" : "active",
                createdAt: value("created_at"), passwordHash: value("password_hash"), now: now, system: "rodauth"))
        }
    }
}
