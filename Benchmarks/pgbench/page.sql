-- A listings page's statement, for `pgbench -f`: ListingPageQuery
-- (Sources/ListingsServer/Storage/PostgresListingStore.swift) as the server sends it (prepared once
-- per connection: run with -M prepared), the newest 21 of an owner's active listings. What the
-- server adds on top is everything else: HTTP, the token, the JSON, the pool.
--
-- Usage: pgbench -n -M prepared -f page.sql -c C -j J -T SECS -D owner=ACCOUNT_ID DBNAME

SELECT id, owner_id, title, description, price_cents, currency, status, created_at, updated_at, seq
FROM listings WHERE owner_id = :owner AND status = 'active' AND seq < 9223372036854775807
ORDER BY seq DESC LIMIT 21;
