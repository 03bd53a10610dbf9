#!/usr/bin/env bash
# The service's load test, end to end: builds the release binary, starts it on a fresh database,
# runs wrk against loopback, stops everything.
#
#   load/run.sh sqlite      # one instance, a SQLite file
#   load/run.sh postgres    # two instances sharing a throwaway PostgreSQL server, one wrk each
#
# Needs wrk (Debian: apt-get install wrk) and, for postgres, Debian's postgresql package.
# DURATION (default 20s), CONNECTIONS (default 64, in all) and CUSTOMERS (per wrk thread,
# default 10000; 1 puts every request of a thread on one customer) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-sqlite}
duration=${DURATION:-20s}
connections=${CONNECTIONS:-64}
customers=${CUSTOMERS:-10000}

cargo build --release --quiet
binary=target/release/voucher-service
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
  if [ -n "${pg_bin:-}" ]; then as_postgres "$pg_bin/pg_ctl" -D "$work/data" -m fast -w stop > /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# Starts an instance on database URL $1 and sets $started to its base URL.
start_instance() {
  local out="$work/instance-${#pids[@]}.out"
  "$binary" --database-url "$1" --listen 127.0.0.1:0 > "$out" 2> "$out.log" &
  pids+=($!)
  for _ in $(seq 100); do
    if [ -s "$out" ]; then started=$(sed -n 's/^listening on //p' "$out"); return; fi
    sleep 0.1
  done
  echo "the service did not start:" >&2; cat "$out.log" >&2; exit 1
}

case "$backend" in
  sqlite)
    start_instance "sqlite://$work/load.db"
    wrk -t2 -c"$connections" -d"$duration" --latency -s load/decisions.lua "$started" -- "$customers"
    ;;
  postgres)
    pg_bin=$(dirname "$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)")
    if [ "$(id -u)" = 0 ]; then chown postgres: "$work"; fi
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    as_postgres "$pg_bin/initdb" -D "$work/data" -U postgres --auth=trust -E UTF8 --locale=C > /dev/null
    as_postgres "$pg_bin/pg_ctl" -D "$work/data" -l "$work/data/server.log" -w \
      -o "-p $port -k $work -c listen_addresses=127.0.0.1" start > /dev/null
    url="postgres://postgres@127.0.0.1:$port/load"
    start_instance "$url"
    first=$started
    start_instance "$url"
    second=$started
    half=$((connections / 2))
    # One wrk per instance, each with its own customers (the last argument tags them).
    wrk -t1 -c"$half" -d"$duration" --latency -s load/decisions.lua "$first" -- "$customers" a > "$work/first.txt" &
    first_wrk=$!
    wrk -t1 -c"$half" -d"$duration" --latency -s load/decisions.lua "$second" -- "$customers" b > "$work/second.txt"
    wait "$first_wrk"
    echo "== instance 1"; cat "$work/first.txt"
    echo "== instance 2"; cat "$work/second.txt"
    ;;
  *)
    echo "usage: load/run.sh sqlite|postgres" >&2; exit 2
    ;;
esac
