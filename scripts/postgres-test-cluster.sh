#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests, on 127.0.0.1 only.
#   scripts/postgres-test-cluster.sh start DIR   initdb into DIR, start it, print its superuser URL
#   scripts/postgres-test-cluster.sh stop DIR    stop it and remove DIR
#   scripts/postgres-test-cluster.sh pause DIR   stop the server (fast shutdown), keeping DIR
#   scripts/postgres-test-cluster.sh resume DIR  start a paused server again, on the same port and data
# Run as root (CI, a developer's machine): the server runs as the unprivileged `postgres` user
# of Debian's package, which is installed when missing (with openssl, for its TLS certificate).
# DIR's parent must be open to that user (as /tmp is).
set -euo pipefail

usage() { echo "usage: $0 start|stop|pause|resume DIR" >&2; exit 64; }
[ $# -eq 2 ] || usage
command=$1
dir=$2

bin_dir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_missing() {
    local missing=()
    [ -n "$(bin_dir)" ] && [ -x "$(bin_dir)/initdb" ] || missing+=(postgresql)
    command -v openssl >/dev/null || missing+=(openssl)
    [ ${#missing[@]} -eq 0 ] && return
    echo "installing ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

start() {
    install_missing
    local bin port
    bin=$(bin_dir)
    [ -e "$dir" ] && { echo "$dir exists; stop it first" >&2; exit 1; }
    mkdir -p "$dir"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir"
    as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log"
    cat >"$dir/data/pg_hba.conf" <<'EOF'
# Trust on loopback only (with or without TLS): this cluster holds nothing but test data.
host all all 127.0.0.1/32 trust
EOF
    # A self-signed certificate: clients that prefer or require TLS get it.
    openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
        -keyout "$dir/data/server.key" -out "$dir/data/server.crt" 2>/dev/null
    chmod 600 "$dir/data/server.key"
    [ "$(id -u)" = 0 ] && chown postgres: "$dir/data/server.key" "$dir/data/server.crt"
    port=$(free_port)
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
synchronous_commit = on
fsync = on
max_connections = 500
ssl = on
EOF
    as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2
    echo "postgres://postgres@127.0.0.1:$port/postgres"
}

stop() {
    local bin
    bin=$(bin_dir)
    if [ -f "$dir/data/postmaster.pid" ]; then
        as_postgres "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >&2
    fi
    rm -rf "$dir"
}

pause() {
    [ -f "$dir/data/postmaster.pid" ] || { echo "$dir: not running" >&2; exit 1; }
    as_postgres "$(bin_dir)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >&2
}

resume() {
    [ -d "$dir/data" ] || { echo "$dir: no cluster" >&2; exit 1; }
    as_postgres "$(bin_dir)/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start >&2
}

case $command in
    start) start ;;
    stop) stop ;;
    pause) pause ;;
    resume) resume ;;
    *) usage ;;
esac
