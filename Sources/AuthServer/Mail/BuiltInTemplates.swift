/// The mails' built-in templates (Mustache; the first line is the subject). A file of the same
/// name in `AUTH_MAIL_TEMPLATES` replaces one; an `.html` twin there adds an HTML part.
enum BuiltInTemplates {
    static let text: [String: String] = [
        "verify-email": """
            Confirm your email address
            Hello,

            please confirm that {{email}} is your email address by opening this link:

            {{link}}

            The link works once and expires in {{expires_in_minutes}} minutes. If you did not
            create an account, you can ignore this mail.
            """,
        "reset-password": """
            Reset your password
            Hello,

            someone asked to reset the password of the account {{email}}. To choose a new
            password, open this link:

            {{link}}

            The link works once and expires in {{expires_in_minutes}} minutes. Every device
            signed in to the account will be signed out. If you did not ask for this, ignore
            this mail: your password stays as it is.
            """,
        "confirm-email": """
            Confirm your new email address
            Hello,

            to move your account from {{email}} to {{new_email}}, open this link:

            {{link}}

            The link works once and expires in {{expires_in_minutes}} minutes. Until then the
            account keeps its current address.
            """,
        "email-changed": """
            Your account's email address is changing
            Hello,

            someone signed in to your account asked to change its email address from {{email}}
            to {{new_email}}. The change happens once the link mailed to the new address is
            opened.

            If this was not you, change your password now and contact us.
            """,
    ]
}
