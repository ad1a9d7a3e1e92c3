extension CopiedTable {
    /// Every table, parents before the tables that refer to them.
    public static let all: [CopiedTable] = [
        CopiedTable(
            "accounts",
            [.seq, text("id"), text("email"), text("status"), text("password_hash"), integer("created_at"),
             integer("updated_at"), boolean("email_verified"), boolean("mfa_enabled")],
            key: ["seq"]),
        CopiedTable(
            "sessions",
            [.seq, text("id"), text("account_id"), integer("created_at"), integer("last_used_at"), integer("expires_at"),
             integer("ended_at"), text("end_reason"), integer("generation"), integer("rotated_at_ms"), text("user_agent"),
             text("ip"), text("client_id"), text("amr")],
            key: ["seq"]),
        CopiedTable(
            "refresh_tokens",
            [bytes("token_hash"), text("session_id"), integer("generation"), integer("created_at"), integer("used_at")],
            key: ["token_hash"]),
        CopiedTable(
            "signing_keys",
            [.seq, text("kid"), text("state"), bytes("public_key"), bytes("sealed_private_key"), integer("created_at"),
             integer("activates_at"), integer("deactivated_at")],
            key: ["seq"]),
        CopiedTable(
            "login_failures",
            [text("email"), text("ip"), integer("failures"), integer("locked_until"), integer("updated_at")],
            key: ["email", "ip"]),
        CopiedTable(
            "login_addresses", [text("account_id"), text("address"), integer("last_login_at")],
            key: ["account_id", "address"]),
        CopiedTable(
            "audit_events",
            [Column("id", .integer, generated: true), integer("at"), text("event"), text("account_id"), text("email"),
             text("ip"), text("user_agent"), text("detail")],
            key: ["id"]),
        CopiedTable(
            "audit_retention", [integer("id"), integer("purge_before")], key: ["id"], seed: "id = 1 AND purge_before = 0"),
        CopiedTable(
            "email_tokens",
            [bytes("token_hash"), text("account_id"), text("purpose"), text("email"), integer("created_at"),
             integer("expires_at")],
            key: ["token_hash"]),
        CopiedTable(
            "mail_outbox",
            [.seq, text("id"), text("account_id"), text("recipient"), text("purpose"), bytes("sealed_message"),
             text("status"), integer("attempts"), integer("created_at"), integer("queued_at"), integer("next_attempt_at"),
             integer("finished_at"), text("last_error")],
            key: ["seq"]),
        CopiedTable(
            "totp_factors",
            [text("account_id"), bytes("sealed_secret"), integer("confirmed_at"), integer("last_step"),
             integer("created_at")],
            key: ["account_id"]),
        CopiedTable("recovery_codes", [text("account_id"), bytes("code_hash")], key: ["account_id", "code_hash"]),
        CopiedTable(
            "mfa_challenges",
            [bytes("token_hash"), text("account_id"), text("client_id"), text("verified_hash"), integer("failures"),
             integer("created_at"), integer("expires_at")],
            key: ["token_hash"]),
    ]

    private static func integer(_ name: String) -> Column { Column(name, .integer) }
    private static func text(_ name: String) -> Column { Column(name, .text) }
    private static func bytes(_ name: String) -> Column { Column(name, .bytes) }
    private static func boolean(_ name: String) -> Column { Column(name, .boolean) }
}
