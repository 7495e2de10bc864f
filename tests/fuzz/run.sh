#!/usr/bin/env bash
# The API fuzz run: Schemathesis (pinned in requirements.txt, installed into a virtual environment
# it creates) against a pos-app it starts on a fresh SQLite file, once as the admin and once
# without a token, every check, a fixed seed. Afterwards the books must be consistent:
# `pos-app check` exits 0 on the fuzzed database.
#
#   bash tests/fuzz/run.sh            # from the repository root
#
# The login limits are lifted for the run: the fuzzer sends thousands of wrong logins from one
# address, and the limit would then refuse the hooks' own login (tests/tests/api/auth.rs and
# guards test the limits).
#
# One worker: with two, Hypothesis' shared lambda-description cache races (a KeyError inside
# Schemathesis' coverage phase, not an answer of this server).
#
# Environment: POS_FUZZ_EXAMPLES (default 25 per operation), POS_FUZZ_PORT (default 8091).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
venv="$target/fuzz-venv"
work=$(mktemp -d)
port=${POS_FUZZ_PORT:-8091}
examples=${POS_FUZZ_EXAMPLES:-25}

if [ ! -x "$venv/bin/st" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q -r requirements.txt
fi
(cd "$root" && cargo build -q -p pos-app)
app="$target/debug/pos-app"

export DATABASE_URL="sqlite://$work/pos.sqlite?mode=rwc" POS_MEDIA_DIR="$work/media" \
  POS_PORT="$port" POS_ADMIN_PASSWORD="fuzz-admin-password" POS_BCRYPT_COST=4 \
  POS_LOGIN_BURST=100000 POS_LOGIN_REFILL_MS=1 POS_LOGIN_FAILURES_PER_ADDRESS=1000000 POS_LOGIN_FAILURES_PER_ACCOUNT=1000000 \
  POS_ACCESS_TTL_SECS=7200 RUST_LOG=warn NO_COLOR=1
"$app" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do curl -fs "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done

export POS_FUZZ_BASE="http://127.0.0.1:$port" POS_FUZZ_LOGIN=admin POS_FUZZ_PASSWORD=fuzz-admin-password
status=0
echo "--- as the admin"
SCHEMATHESIS_HOOKS=hooks "$venv/bin/st" --config-file schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
  --checks all -n "$examples" --seed 1 --workers 1 || status=1
echo "--- without a token"
SCHEMATHESIS_HOOKS=refusals "$venv/bin/st" --config-file schemathesis.toml run "http://127.0.0.1:$port/openapi.json" \
  --checks all -n "$examples" --seed 1 --workers 1 || status=1

kill $server; wait $server 2>/dev/null || true
echo "--- pos-app check on the fuzzed database"
"$app" check || status=1
exit $status
