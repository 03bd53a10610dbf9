#!/usr/bin/env bash
# The service's load test, end to end: builds the release binary, starts it on a fresh database,
# runs wrk against loopback, stops everything.
#
#   load/run.sh sqlite                # one instance, a SQLite file: POST /decisions
#   load/run.sh postgres              # two instances sharing a throwaway PostgreSQL server, one wrk each
#   load/run.sh sqlite approvals      # POST /decisions/{id}/approval instead (see below)
#   load/run.sh postgres approvals
#
# Needs wrk (Debian: apt-get install wrk), python3 and, for postgres, Debian's postgresql package.
# DURATION (default 20s), CONNECTIONS (default 64, in all) and CUSTOMERS (per wrk thread,
# default 10000; 1 puts every request of a thread on one customer) tune the run. SERVICE_BINARY
# runs that binary instead of building this tree (to compare two builds in one sitting), and
# SERVICE_ARGS adds options to every instance.
#
# `approvals` first seeds escalations (SEED, default 30s, of decisions whose customer insists on
# a supervisor), reads their ids from the audit log (GET /decisions?since&until), then measures
# approving them for DURATION (default 10s for approvals), each once, by 1000 supervisor keys
# in turn. wrk's "Non-2xx or 3xx responses" line would mean the seeded ids ran out (a second
# approval answers 409): seed longer or measure shorter.
set -euo pipefail
cd "$(dirname "$0")/.."

backend=${1:-sqlite}
what=${2:-decisions}
if [ "$what" = approvals ]; then duration=${DURATION:-10s}; else duration=${DURATION:-20s}; fi
seed=${SEED:-30s}
connections=${CONNECTIONS:-64}
customers=${CUSTOMERS:-10000}
supervisors=1000

if [ -n "${SERVICE_BINARY:-}" ]; then
  binary=$SERVICE_BINARY
else
  cargo build --release --quiet
  # The workspace builds into its own target directory, wherever that is.
  target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
  binary=$target_dir/release/voucher-service
fi
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

# The API keys: one agent (`load-agent-token`, as decisions.lua sends) and the supervisors
# approvals.lua takes turns with; the file holds their SHA-256, never the tokens.
python3 - "$supervisors" > "$work/keys.toml" <<'PY'
import hashlib, sys
def key(id, role, token):
    print(f'[[key]]\nid = "{id}"\nrole = "{role}"\nsha256 = "{hashlib.sha256(token.encode()).hexdigest()}"\n')
key("LOAD-A", "agent", "load-agent-token")
for n in range(int(sys.argv[1])):
    key(f"LOAD-S-{n}", "supervisor", f"load-supervisor-token-{n}")
PY

# Starts an instance on database URL $1 and sets $started to its base URL.
start_instance() {
  local out="$work/instance-${#pids[@]}.out"
  # shellcheck disable=SC2086 # SERVICE_ARGS is a list of options.
  "$binary" --database-url "$1" --listen 127.0.0.1:0 --api-keys "$work/keys.toml" ${SERVICE_ARGS:-} > "$out" 2> "$out.log" &
  pids+=($!)
  for _ in $(seq 100); do
    if [ -s "$out" ]; then started=$(sed -n 's/^listening on //p' "$out"); return; fi
    sleep 0.1
  done
  echo "the service did not start:" >&2; cat "$out.log" >&2; exit 1
}

# Seeds escalations on the instances given (all with $SEED of wrk, one wrk per instance) and
# writes their ids, oldest first, to $work/ids.
seed_escalations() {
  local since
  since=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  local tag=0 seeders=()
  for base in "$@"; do
    ESCALATE=1 wrk -t1 -c"$((connections / $#))" -d"$seed" -s load/decisions.lua "$base" -- "$customers" "s$tag" > "$work/seed-$tag.txt" &
    seeders+=($!)
    tag=$((tag + 1))
  done
  wait "${seeders[@]}"
  sleep 1
  local until
  until=$(date -u -d '+1 minute' +%Y-%m-%dT%H:%M:%SZ)
  curl -sf -H 'Authorization: Bearer load-agent-token' "$1/decisions?since=$since&until=$until" \
    | python3 -c 'import json, sys
for line in sys.stdin:
    decision = json.loads(line)["decision"]
    if decision["outcome"] == "escalated":
        print(decision["id"])' > "$work/ids"
  echo "seeded $(wc -l < "$work/ids") escalations in $seed"
}

# Prints the batch sizes, queue and shed requests of the instance at $1, from its /metrics.
batch_sizes() {
  curl -sf -H 'Authorization: Bearer load-agent-token' "$1/metrics" \
    | grep -E '^voucher_(batch_size|queue_depth|requests_shed)' || true
}

case "$backend" in
  sqlite)
    start_instance "sqlite://$work/load.db"
    if [ "$what" = approvals ]; then
      seed_escalations "$started"
      THREADS=2 SUPERVISORS=$supervisors wrk -t2 -c"$connections" -d"$duration" --latency -s load/approvals.lua "$started" -- "$work/ids" 0 1
    else
      wrk -t2 -c"$connections" -d"$duration" --latency -s load/decisions.lua "$started" -- "$customers"
    fi
    batch_sizes "$started"
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
    if [ "$what" = approvals ]; then
      seed_escalations "$first" "$second"
      # One wrk per instance, each approving its half of the escalations.
      THREADS=1 SUPERVISORS=$supervisors wrk -t1 -c"$half" -d"$duration" --latency -s load/approvals.lua "$first" -- "$work/ids" 0 2 > "$work/first.txt" &
      first_wrk=$!
      THREADS=1 SUPERVISORS=$supervisors wrk -t1 -c"$half" -d"$duration" --latency -s load/approvals.lua "$second" -- "$work/ids" 1 2 > "$work/second.txt"
    else
      # One wrk per instance, each with its own customers (the last argument tags them).
      wrk -t1 -c"$half" -d"$duration" --latency -s load/decisions.lua "$first" -- "$customers" a > "$work/first.txt" &
      first_wrk=$!
      wrk -t1 -c"$half" -d"$duration" --latency -s load/decisions.lua "$second" -- "$customers" b > "$work/second.txt"
    fi
    wait "$first_wrk"
    echo "== instance 1"; cat "$work/first.txt"; batch_sizes "$first"
    echo "== instance 2"; cat "$work/second.txt"; batch_sizes "$second"
    ;;
  *)
    echo "usage: load/run.sh sqlite|postgres [decisions|approvals]" >&2; exit 2
    ;;
esac
