-- The token service's schema: the one source of truth. New databases are
-- created from this file; older ones are brought to it by `authctl migrate`.
-- Times are whole seconds since 1970 (UTC). Ids are lowercase UUID strings.
-- Constraints live here, so no code path can store what the model forbids.

CREATE TABLE accounts (
    id            TEXT    NOT NULL PRIMARY KEY CHECK (length(id) = 36 AND id = lower(id)),
    email         TEXT    NOT NULL UNIQUE CHECK (length(email) BETWEEN 3 AND 254 AND email = lower(email)),
    status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
    password_hash TEXT    NOT NULL CHECK (length(password_hash) > 0),
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
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
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
) STRICT;
CREATE INDEX sessions_by_account ON sessions (account_id, created_at);

-- Refresh tokens, stored only as SHA-256 hashes. Used-up tokens stay for reuse detection.
CREATE TABLE refresh_tokens (
    token_hash BLOB    NOT NULL PRIMARY KEY CHECK (length(token_hash) = 32),
    session_id TEXT    NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL CHECK (generation >= 0),
    created_at INTEGER NOT NULL,
    used_at    INTEGER
) STRICT, WITHOUT ROWID;
CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

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

-- Security events, append-only (the triggers refuse any change), never holding a
-- password, token or hash. No foreign key: the record outlives a deleted account.
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
CREATE TRIGGER audit_events_append_only_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_events_append_only_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
