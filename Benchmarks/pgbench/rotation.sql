-- The refresh rotation's transaction, for `pgbench -f`: the statements of
-- PostgresAuthStore.exchangeRefreshToken (Sources/PostgresStore/PostgresAuthStore+RefreshTokens.swift)
-- on its .rotate path, in its order, sent as the server sends them (extended protocol, each
-- statement prepared once per connection: run with -M prepared, which prepares BEGIN and
-- COMMIT too, where the server sends them unnamed). What the server adds on top is everything else:
-- HTTP, hashing the token, the rules' verdict, signing the access token, the pool.
--
-- Usage: pgbench -n -M prepared -f rotation.sql -c C -j J -T SECS -D base=B -D gen=0
--        -D now=EPOCH_SECONDS -D now_ms=EPOCH_MS DBNAME
-- Client k rotates the chain of seeded session B + k, one exchange at a time, as each wrk
-- connection of the HTTP figure does. The session's token of generation g has the hash
-- sha256(int8send(session * 1e9 + g)) (seeded so by postgres_bench.py), so a client knows the
-- token it presents without a lookup the server wouldn't make; where the server binds the 32
-- bytes, this computes them in SQL (one sha256 of 8 bytes, about a microsecond).
-- A client's variables live across its transactions: `gen` follows its chain.

\set s :base + :client_id
BEGIN;
SELECT 1 FROM sessions WHERE id = (SELECT session_id FROM refresh_tokens WHERE token_hash = sha256(int8send(:s::bigint * 1000000000 + :gen))) FOR UPDATE;
SELECT t.generation AS token_generation, t.used_at, a.status, s.id AS sid, s.account_id, s.created_at, s.last_used_at, s.expires_at, s.ended_at, s.end_reason, s.generation AS session_generation, s.rotated_at_ms, s.user_agent, s.ip, s.client_id AS session_client, s.amr
  FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id JOIN accounts a ON a.id = s.account_id
  WHERE t.token_hash = sha256(int8send(:s::bigint * 1000000000 + :gen)) \gset
\set next :session_generation + 1
WITH rotated AS (UPDATE sessions SET generation = :next, rotated_at_ms = :now_ms, last_used_at = :now WHERE id = :sid),
  used AS (UPDATE refresh_tokens SET used_at = coalesce(used_at, :now) WHERE token_hash = sha256(int8send(:s::bigint * 1000000000 + :gen)))
  INSERT INTO refresh_tokens (token_hash, session_id, generation, created_at) VALUES (sha256(int8send(:s::bigint * 1000000000 + :next)), :sid, :next, :now);
COMMIT;
\set gen :next
