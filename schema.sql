-- The token service's schema: the one source of truth. New databases are
-- created from this file; older ones are brought to it by `authctl migrate`
-- (the steps from each earlier version are in Sources/AuthCore/Storage/SchemaUpgrades.swift).
-- PostgreSQL's translation is in Sources/PostgresStore/Migrations/: a change here needs a step there.
-- Times are whole seconds since 1970 (UTC). Ids are lowercase UUID strings.
-- Constraints live here, so no code path can store what the model forbids.

CREATE TABLE accounts (
    id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    email         TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash TEXT    CHECK (length(password_hash) > 0), -- NULL: awaiting lazy migration from the system it came from
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL,
    email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1)), -- proven by a mailed token
    mfa_enabled   INTEGER NOT NULL DEFAULT 0 CHECK (mfa_enabled IN (0, 1))      -- a confirmed TOTP factor exists
) STRICT;

-- A login: one per device or client, holding a chain of refresh tokens.
CREATE TABLE sessions (
    id           TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    account_id   TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,          -- absolute end (AUTH_SESSION_TTL)
    ended_at     INTEGER,                   -- set at logout, revocation, reuse, password change, disable
    end_reason   TEXT,
    generation   INTEGER NOT NULL DEFAULT 0 CHECK (generation >= 0), -- refresh token generation now current
    rotated_at_ms INTEGER,                  -- when generation last advanced, in ms (grace window start)
    user_agent   TEXT    NOT NULL DEFAULT '',
    ip           TEXT    NOT NULL DEFAULT '',
    client_id    TEXT    NOT NULL DEFAULT 'default' CHECK (length(client_id) BETWEEN 1 AND 64), -- RFC 9068 client_id
    amr          TEXT    NOT NULL DEFAULT 'pwd' CHECK (amr IN ('pwd', 'pwd,otp,mfa', 'pwd,mfa')), -- RFC 8176, at login
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;
CREATE INDEX sessions_by_account ON sessions (account_id, created_at);
-- Retention: sessions are purged some time after they end.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);
CREATE INDEX sessions_by_end ON sessions (ended_at) WHERE ended_at IS NOT NULL;

-- Refresh tokens, stored only as SHA-256 hashes. Used-up tokens stay for reuse detection.
CREATE TABLE refresh_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL CHECK (generation >= 0),
    created_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);
CREATE INDEX refresh_tokens_by_use ON refresh_tokens (used_at) WHERE used_at IS NOT NULL;

-- Ed25519 signing keys. The private key is sealed with the key-encryption key.
-- standby: published, not yet signing; current: signing; previous: published
-- until tokens it signed expire; retired: out of the JWKS.
CREATE TABLE signing_keys (
    kid                TEXT    NOT NULL PRIMARY KEY,
    state              TEXT    NOT NULL CHECK (state IN ('standby', 'current', 'previous', 'retired')),
    public_key         BLOB    NOT NULL CHECK (length(public_key) = 32),
    sealed_private_key BLOB    NOT NULL,
    created_at         INTEGER NOT NULL,
    activates_at       INTEGER,             -- when a standby key starts signing
    deactivated_at     INTEGER              -- when it stopped signing
) STRICT;
CREATE UNIQUE INDEX one_current_signing_key ON signing_keys (state) WHERE state = 'current';

-- Failed logins per (email, client IP), for throttling. Unknown emails count the same way.
CREATE TABLE login_failures (
    email        TEXT    NOT NULL,
    ip           TEXT    NOT NULL,
    failures     INTEGER NOT NULL CHECK (failures > 0),
    locked_until INTEGER NOT NULL DEFAULT 0,
    updated_at   INTEGER NOT NULL,
    PRIMARY KEY (email, ip)
) STRICT, WITHOUT ROWID;

-- The addresses (address keys: an IPv6 client by its /64) each account logged in from
-- lately, the latest 32 kept: the account-wide login throttle never refuses them.
CREATE TABLE login_addresses (
    account_id    TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    address       TEXT    NOT NULL,
    last_login_at INTEGER NOT NULL,
    PRIMARY KEY (account_id, address)
) STRICT, WITHOUT ROWID;

-- Security events, append-only (the triggers refuse any change, and any deletion
-- but the retention purge's of rows older than audit_retention.purge_before), never
-- holding a password, token or hash. No foreign key: the record outlives a deleted account.
CREATE TABLE audit_events (
    id         INTEGER PRIMARY KEY,
    at         INTEGER NOT NULL,
    event      TEXT    NOT NULL CHECK (length(event) > 0),
    account_id TEXT,
    email      TEXT    NOT NULL DEFAULT '',  -- the login name tried, for failures of unknown accounts
    ip         TEXT    NOT NULL DEFAULT '',
    user_agent TEXT    NOT NULL DEFAULT '',
    detail     TEXT    NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX audit_events_by_account ON audit_events (account_id, id);
CREATE INDEX audit_events_by_event ON audit_events (event, id);
CREATE INDEX audit_events_by_time ON audit_events (at);
CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TABLE audit_retention (
    id           INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    purge_before INTEGER NOT NULL            -- rows older than this may be deleted; it only grows
) STRICT;
INSERT INTO audit_retention (id, purge_before) VALUES (1, 0);
CREATE TRIGGER audit_retention_only_grows BEFORE UPDATE ON audit_retention
WHEN new.purge_before < old.purge_before
BEGIN SELECT RAISE(ABORT, 'the audit retention horizon only moves forward'); END;
CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
WHEN old.at >= (SELECT purge_before FROM audit_retention)
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- Tokens mailed to prove an address (verify, reset, email change), stored only as SHA-256
-- hashes; one per account and purpose, deleted when used. `email` is where the mail went:
-- a verify or reset token holds only while the account still has that email; an email change
-- token carries the new one.
CREATE TABLE email_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('verify_email', 'reset_password', 'change_email')),
    email      TEXT    NOT NULL CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL CHECK (expires_at > created_at)
) STRICT, WITHOUT ROWID;
CREATE UNIQUE INDEX one_email_token_per_purpose ON email_tokens (account_id, purpose);
CREATE INDEX email_tokens_by_expiry ON email_tokens (expires_at);

-- Mail waiting for delivery, written in the same commit as its token. The message is sealed
-- with the key-encryption key (it holds a live link) and dropped once sent. A pending mail
-- is due at next_attempt_at; a worker claims it by moving that time past its attempt.
CREATE TABLE mail_outbox (
    id              TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36),
    account_id      TEXT,                   -- no foreign key: the record outlives a deleted account
    recipient       TEXT    NOT NULL CHECK (length(recipient) BETWEEN 3 AND 254),
    purpose         TEXT    NOT NULL CHECK (purpose IN ('verify-email', 'reset-password', 'confirm-email', 'email-changed')),
    sealed_message  BLOB,
    status          TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    attempts        INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    created_at      INTEGER NOT NULL,
    queued_at       INTEGER NOT NULL,       -- start of the retry window: creation, or an admin's retry
    next_attempt_at INTEGER NOT NULL,
    finished_at     INTEGER,                -- when it was sent or failed
    last_error      TEXT    NOT NULL DEFAULT '',
    CHECK ((status = 'pending') = (finished_at IS NULL)),
    CHECK (status = 'sent' OR sealed_message IS NOT NULL)
) STRICT;
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'pending';
CREATE INDEX mail_outbox_by_status ON mail_outbox (status, created_at);

-- Second factor: one TOTP secret per account (RFC 6238), sealed with the key-encryption key;
-- pending until a first code confirms it. last_step is the last time step a code was accepted
-- for: no code is accepted twice, on any node.
CREATE TABLE totp_factors (
    account_id    TEXT    NOT NULL PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
    sealed_secret BLOB    NOT NULL,
    confirmed_at  INTEGER,                  -- NULL: enrolment pending
    last_step     INTEGER NOT NULL DEFAULT -1,
    created_at    INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

-- Single-use recovery codes, stored only as SHA-256 hashes (each code holds 80 random bits).
CREATE TABLE recovery_codes (
    account_id TEXT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    code_hash  BLOB NOT NULL CHECK (length(code_hash) = 32),
    PRIMARY KEY (account_id, code_hash)
) STRICT, WITHOUT ROWID;

-- Logins waiting for their second factor: the mfa_token's hash, bounded in time, tries and use.
-- verified_hash is the password hash the first factor was checked against: a password change
-- meanwhile voids the login.
CREATE TABLE mfa_challenges (
    token_hash    BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    account_id    TEXT    NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    client_id     TEXT    NOT NULL CHECK (length(client_id) BETWEEN 1 AND 64),
    verified_hash TEXT    NOT NULL,
    failures      INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL CHECK (expires_at > created_at)
) STRICT, WITHOUT ROWID;
CREATE INDEX mfa_challenges_by_expiry ON mfa_challenges (expires_at);
