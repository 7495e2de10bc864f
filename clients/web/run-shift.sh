#!/usr/bin/env bash
# The browser run CI makes: pos-app on a fresh SQLite file at http://127.0.0.1:8080, this
# example till served by Vite at http://localhost:5173 (passing /api on to the API), and
# browser/shift.mjs driving Chromium through a whole shift and Swagger UI. Then `pos-app check`.
#
#   bash clients/web/run-shift.sh      # from the repository root
#
# Needs node/npm and Chromium (Debian's `chromium`; CHROMIUM names another binary).
set -euo pipefail
cd "$(dirname "$0")"
root=$(cd ../.. && pwd)
target=${CARGO_TARGET_DIR:-$root/target}
work=$(mktemp -d)

(cd "$root" && cargo build -q -p pos-app)
app="$target/debug/pos-app"
npm ci --no-audit --no-fund --silent
npm run --silent generate

export DATABASE_URL="sqlite://$work/pos.sqlite?mode=rwc" POS_MEDIA_DIR="$work/media" \
  POS_ADMIN_PASSWORD="shift-admin-password" POS_BCRYPT_COST=4 RUST_LOG=warn NO_COLOR=1
"$app" serve >"$work/server.log" 2>&1 &
server=$!
# Vite itself, not through npx: `kill $vite` then stops the very process that holds the port.
./node_modules/.bin/vite --port 5173 --strictPort >"$work/vite.log" 2>&1 &
vite=$!
stop() { kill "$server" "$vite" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 60); do
  curl -fs http://127.0.0.1:8080/health >/dev/null && curl -fs http://localhost:5173/ >/dev/null && break
  sleep 0.5
done
# Answers from another server (an earlier run's, still on the port) would test the wrong code.
for process in "$server" "$vite"; do
  if ! kill -0 "$process" 2>/dev/null; then
    echo "run-shift: a server did not start (is port 8080 or 5173 taken?)" >&2
    cat "$work/server.log" "$work/vite.log" >&2
    exit 1
  fi
done

status=0
POS_SHIFT_PASSWORD=shift-admin-password node browser/shift.mjs || status=1
stop
wait $server 2>/dev/null || true
"$app" check || status=1
exit $status
