-- GET /v1/me's statement, for `pgbench -f`: SessionWithAccount
-- (Sources/PostgresStore/PostgresAuthStore+Sessions.swift) as the server sends it (prepared once
-- per connection: run with -M prepared), a session with its account in one snapshot. What the
-- server adds on top is everything else: HTTP, the token, the JSON, the pool.
--
-- Usage: pgbench -n -M prepared -f me.sql -c C -j J -T SECS -D session=SESSION_ID DBNAME

SELECT s.id, s.account_id, s.created_at, s.last_used_at, s.expires_at, s.ended_at, s.end_reason, s.generation,
    s.rotated_at_ms, s.user_agent, s.ip, s.client_id, s.amr,
    a.id, a.email, a.status, a.password_hash, a.created_at, a.updated_at, a.email_verified, a.mfa_enabled
FROM sessions s JOIN accounts a ON a.id = s.account_id WHERE s.id = :session;
