# Two commands on a fresh Debian machine: `make run` starts the services, `make test` runs every test.
SHELL := /bin/bash
APT_PACKAGES := libargon2-dev libsodium-dev libsqlite3-dev libcrypt-dev libssl-dev pkg-config systemd openssl
DATA ?= data

.PHONY: deps build release run test test-swift test-e2e bench clean-data fuzz fuzz-ci

## Installs the system libraries and the Python packages the tests use, when missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import pytest, xdist, requests, joserfc, argon2, openapi_spec_validator, yaml, schemathesis, aiosmtpd, pyotp, moto, boto3" 2>/dev/null \
		|| python3 -m pip install -q -r tests/requirements.txt

build: deps
	swift build

release: deps
	swift build -c release

## Runs the token service on 127.0.0.1:8080 and the listings service on 127.0.0.1:8081,
## their databases in $(DATA)/; Ctrl-C stops both.
run: release
	@mkdir -p $(DATA)
	@AUTH_DATABASE=$(DATA)/auth.sqlite .build/release/AuthServer & auth=$$!; \
	trap 'kill $$auth 2>/dev/null' EXIT INT TERM; \
	LISTINGS_DATABASE=$(DATA)/listings.sqlite .build/release/ListingsServer

test: deps test-swift test-e2e

## The Swift tests run the store contract suites on SQLite and on a throwaway PostgreSQL cluster
## (scripts/postgres-test-cluster.sh: Debian's postgresql, installed when missing; 127.0.0.1 only).
## The timing tests (no answer may tell whether an email has an account) run last, alone: the
## others, run in parallel, would load the machine unevenly under them.
test-swift:
	swift build --build-tests
	@dir=/tmp/auth-test-postgres-$$$$; \
	url=$$(scripts/postgres-test-cluster.sh start $$dir) || exit 1; \
	trap "scripts/postgres-test-cluster.sh stop $$dir >/dev/null" EXIT; \
	AUTH_TEST_POSTGRES_URL=$$url swift test --skip-build --skip TimingTests
	swift test --skip-build --filter TimingTests

## The end-to-end suite on both stores: every test once on SQLite and once on PostgreSQL (a throwaway
## cluster per worker, scripts/postgres-test-cluster.sh), E2E_WORKERS pytest-xdist workers at once;
## then the timing-sensitive tests (marked `serial`) alone. E2E_STORE=sqlite (or postgres) for one store.
E2E_STORE ?= sqlite,postgres
E2E_WORKERS ?= 4
test-e2e:
	swift build
	@status=0; \
	E2E_STORE=$(E2E_STORE) python3 -m pytest -q tests/e2e -n $(E2E_WORKERS) --dist worksteal -m "not serial" || status=$$?; \
	E2E_STORE=$(E2E_STORE) python3 -m pytest -q tests/e2e -m serial || status=$$?; \
	exit $$status

## `make bench` (QUICK=1 for a shorter run at 1k and 100k only): one table of the hot paths
## against their floors, token verification against jwt-kit (its own package,
## Benchmarks/JWTKitPeer, so the product never depends on it; a peer that does not build is
## printed as skipped) and joserfc; HTTP throughput, isolation and scaling with wrk
## (Benchmarks/http_bench.py), with our request rates against a bare Hummingbird hello-world
## (Benchmarks/HelloPeer) and the listings page against Vapor + Fluent (Benchmarks/VaporPeer),
## both peers built like the jwt-kit one (a first Vapor release build takes 10-20 minutes);
## refresh and login with one and two nodes on a throwaway PostgreSQL cluster against pgbench
## running the rotation's transaction, and the listings page on PostgreSQL against SQLite
## (Benchmarks/postgres_bench.py); bulk import and export (Benchmarks/bulk_bench.py); reset
## requests and mail delivery to a local SMTP sink (Benchmarks/mail_bench.py). Release builds.
PEERS := JWTKitPeer HelloPeer VaporPeer
bench: deps
	@dpkg -s wrk >/dev/null 2>&1 || { SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq wrk; }
	@echo "building the peers ($(PEERS)) beside the package, one after another (logs: Benchmarks/PEER/.build/make-bench.log)"
	@( for p in $(PEERS); do \
		mkdir -p Benchmarks/$$p/.build; \
		swift build -c release --package-path Benchmarks/$$p --scratch-path Benchmarks/$$p/.build \
			> Benchmarks/$$p/.build/make-bench.log 2>&1 \
		|| echo "make bench: the peer $$p did not build (Benchmarks/$$p/.build/make-bench.log); its rows are skipped"; \
	done ) & peers=$$!; \
	swift build -c release; status=$$?; \
	wait $$peers; \
	exit $$status
	.build/release/auth-bench --jwt-kit Benchmarks/JWTKitPeer/.build/release/JWTKitPeer --joserfc Benchmarks/joserfc_peer.py
	python3 Benchmarks/http_bench.py --auth-server .build/release/AuthServer \
		--listings-server .build/release/ListingsServer --hello-peer Benchmarks/HelloPeer/.build/release/HelloPeer \
		--vapor-peer Benchmarks/VaporPeer/.build/release/VaporPeer $(if $(QUICK),--quick)
	python3 Benchmarks/postgres_bench.py --auth-server .build/release/AuthServer \
		--listings-server .build/release/ListingsServer $(if $(QUICK),--quick)
	python3 Benchmarks/bulk_bench.py .build/release/authctl $(if $(QUICK),--quick)
	python3 Benchmarks/mail_bench.py --auth-server .build/release/AuthServer $(if $(QUICK),--quick)

clean-data:
	rm -rf $(DATA)

## libFuzzer on the token verifier, the password-hash parsers and the import readers (Fuzz/):
## replays Fuzz/Regressions, then FUZZ_SECONDS per target; fails on any crash, leak or timeout.
## Its own debug build with coverage and AddressSanitizer in Fuzz/.build-fuzz (about 1.5 minutes at first).
FUZZ_SECONDS ?= 60
fuzz: deps
	Fuzz/run.sh $(FUZZ_SECONDS)

## The same, briefly, for CI.
fuzz-ci: deps
	Fuzz/run.sh 15
