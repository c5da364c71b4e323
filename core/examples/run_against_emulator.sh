#!/usr/bin/env bash
# Runs the resign_user_batch example against a fresh emulator binary: one success
# (printed JSON, exit 0) and one unknown user (error JSON on stderr, exit 1).
# Usage: run_against_emulator.sh <authing-emulator binary> <resign_user_batch example binary>
set -euo pipefail
emulator_bin=$1
example_bin=$2
work=$(mktemp -d)
pid=
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo '[{"userId":"62a0000000000000000000f1","email":"leaver@example.com"}]' > "$work/users.json"
"$emulator_bin" --port 0 --users "$work/users.json" > "$work/out" 2>&1 &
pid=$!
for _ in $(seq 100); do
    grep -q '^authing-emulator listening on ' "$work/out" && break
    sleep 0.1
done
url=$(sed -n 's/^authing-emulator listening on //p' "$work/out" | head -1)
[ -n "$url" ] || { cat "$work/out"; echo "the emulator did not start" >&2; exit 1; }

export AUTHING_ACCESS_KEY_ID=emulator-access-key-id
export AUTHING_ACCESS_KEY_SECRET=emulator-access-key-secret
"$example_bin" --host "$url" --id-type email leaver@example.com | tee "$work/ok.json"
grep -q '"success": true' "$work/ok.json"

status=0
"$example_bin" --host "$url" --auth token --lang en-US 000000000000000000000000 2> "$work/err.json" || status=$?
cat "$work/err.json"
[ "$status" -eq 1 ] || { echo "expected exit status 1, got $status" >&2; exit 1; }
grep -q '"code":"api_error"' "$work/err.json"
grep -q '"statusCode":404' "$work/err.json"
echo "example OK against $url"
