# Two commands on a fresh Debian machine: `make run` starts the services, `make test` runs every test.
SHELL := /bin/bash
APT_PACKAGES := libargon2-dev libsodium-dev libsqlite3-dev libcrypt-dev libssl-dev pkg-config
DATA ?= data

.PHONY: deps build release run test test-swift test-e2e bench clean-data

## Installs the system libraries and the Python packages the tests use, when missing.
deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "installing $$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi
	@python3 -c "import pytest, requests, joserfc, argon2, openapi_spec_validator, yaml, schemathesis" 2>/dev/null \
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

test-swift:
	swift build --build-tests
	swift test

test-e2e:
	swift build
	python3 -m pytest -q tests/e2e

## Hot paths against their floors, release build (first build takes a few minutes), and token
## verification against peers: jwt-kit (its own package, Benchmarks/JWTKitPeer, so the product
## never depends on it; its first release build takes about 4 minutes) and Python joserfc.
## A peer that does not build is printed as skipped.
bench: deps
	swift build -c release --package-path Benchmarks/JWTKitPeer --scratch-path Benchmarks/JWTKitPeer/.build \
		|| echo "make bench: the jwt-kit peer did not build; its row is skipped"
	swift build -c release --product auth-bench
	.build/release/auth-bench --jwt-kit Benchmarks/JWTKitPeer/.build/release/JWTKitPeer --joserfc Benchmarks/joserfc_peer.py

clean-data:
	rm -rf $(DATA)
