#!/usr/bin/env bash
# Checks the running service against its own OpenAPI document with schemathesis (from PyPI):
# generated requests to every operation, valid and invalid, and every answer checked for no 5xx,
# a documented status code, the documented content type and headers, and a body that matches
# the document's schema (the audit log's JSON lines each against `LogLine`, by the hook beside
# this script).
#
#   tests/schemathesis.sh          # from examples/service, or from anywhere
#
# Builds the debug binary, starts it on a SQLite file in a temporary directory with an API-keys
# file written here, installs schemathesis into a venv under the workspace's target directory
# (once), and runs it. Needs python3 with venv (3.9 or later) and PyPI.
# MAX_EXAMPLES (default 100, per operation and phase) and SEED (default 1, for a run that can be
# repeated; `random` for a new one) tune the run.
set -euo pipefail
cd "$(dirname "$0")/.."

schemathesis_version=4.32.5
max_examples=${MAX_EXAMPLES:-100}
seed=${SEED:-1}
# A supervisor may decide and approve: every operation can answer something but 403.
token=schemathesis-supervisor-token

cargo build --quiet -p voucher-service
target_dir=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')
binary=$target_dir/debug/voucher-service

venv=$target_dir/schemathesis-$schemathesis_version
if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$schemathesis_version"
fi

work=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2> /dev/null || true; wait "$pid" 2> /dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

python3 - "$token" > "$work/keys.toml" <<'PY'
import hashlib, sys
print(f'[[key]]\nid = "ST-S"\nrole = "supervisor"\nsha256 = "{hashlib.sha256(sys.argv[1].encode()).hexdigest()}"')
PY

"$binary" --database-url "sqlite://$work/service.db" --listen 127.0.0.1:0 --api-keys "$work/keys.toml" \
  --shadow-policy ../policies/strict.toml > "$work/stdout" 2> "$work/service.log" &
pid=$!
base=
for _ in $(seq 100); do
  base=$(sed -n 's/^listening on //p' "$work/stdout")
  if [ -n "$base" ]; then break; fi
  sleep 0.1
done
if [ -z "$base" ]; then echo "the service did not start:" >&2; cat "$work/service.log" >&2; exit 1; fi

seed_option=(--seed "$seed")
if [ "$seed" = random ]; then seed_option=(); fi
started=$(date +%s)
status=0
# Read from a file: loaded from its URL, schemathesis leaves the document's own route untested.
python3 - "$base/openapi.json" "$token" > "$work/openapi.json" <<'PY'
import sys, urllib.request
request = urllib.request.Request(sys.argv[1], headers={"Authorization": f"Bearer {sys.argv[2]}"})
print(urllib.request.urlopen(request).read().decode())
PY
# From the temporary directory, where schemathesis keeps its state; no bytecode in the tree.
hooks_dir=$(pwd)/tests
(cd "$work" && SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$hooks_dir" PYTHONDONTWRITEBYTECODE=1 \
  "$venv/bin/st" run "$work/openapi.json" --url "$base" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,ndjson_lines_conformance \
  --max-examples "$max_examples" "${seed_option[@]}" \
  --request-timeout 10 --no-color) 2>&1 | tee "$work/report.txt" || status=$?
took=$(($(date +%s) - started))

generated=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$work/report.txt" | tail -n 1)
echo "schemathesis $schemathesis_version: ${generated:-?} requests generated (at most $max_examples per operation and phase) in ${took}s"
if grep -q 'panicked' "$work/service.log"; then
  echo "the service panicked:" >&2; grep -A5 'panicked' "$work/service.log" >&2; exit 1
fi
exit "$status"
