#!/usr/bin/env bash
# Runs the XCTest suite (bindings-swift/swift/Tests) with `swift test` against an
# emulator started here on 127.0.0.1 and seeded with the users the suite resigns.
# Usage: run-tests.sh CHROOT REPO TARGET_DIR EMULATOR_BIN
#   CHROOT a directory: Linux, inside that trixie chroot (linux/swift-chroot.sh; it shares
#          this network namespace), linking the debug cdylib in TARGET_DIR/debug. Needs the
#          generated sources (`make swift`).
#   CHROOT `-`: macOS, `swift test` right here on the local xcframework
#          (build-xcframework.sh first), as the release workflow does.
set -euo pipefail
chroot_dir=$1
repo=$(cd "$2" && pwd)
target=$(cd "$3" && pwd)
emulator=$4
here=$(cd "$(dirname "$0")" && pwd)/linux
work="$target/swift"
mkdir -p "$work"

# The users the suite resigns: blocks of emails, one block per test (Support.swift).
python3 - "$work/users.json" <<'PY'
import json, sys
blocks = {"single": 10, "bulk": 120, "cancel": 200, "journal": 60, "task": 200}
users = [{"email": f"swift-{b}-{n}@example.com"} for b, count in blocks.items() for n in range(count)]
json.dump(users, open(sys.argv[1], "w"))
PY

emu_pid=
cleanup() { if [ -n "$emu_pid" ]; then kill "$emu_pid" 2>/dev/null || true; wait "$emu_pid" 2>/dev/null || true; fi; }
trap cleanup EXIT
coproc EMU { exec "$emulator" --port 0 --users "$work/users.json" 2>"$work/emulator.log"; }
# shellcheck disable=SC2153 # set by coproc
emu_pid=$EMU_PID
read -r -t 30 first <&"${EMU[0]}" || { echo "emulator did not start (see $work/emulator.log)" >&2; exit 1; }
url=${first#authing-emulator listening on }
# Keep draining its stdout so it never blocks on a full pipe.
cat <&"${EMU[0]}" >/dev/null &

if [ "$chroot_dir" = - ]; then
    (cd "$repo" && AUTHING_RESIGN_LOCAL=1 AUTHING_EMULATOR_URL="$url" \
        swift test --disable-swift-testing --scratch-path "$work/build") 2>&1 | tee "$work/swift-test.log"
else
    # The library's directory inside the chroot (TARGET is mounted at /target).
    "$here/swift-chroot.sh" run "$chroot_dir" "$repo" "$target" \
        env LD_LIBRARY_PATH=/target/debug AUTHING_EMULATOR_URL="$url" \
        swift test --disable-swift-testing --scratch-path /target/swift/build -Xlinker -L/target/debug 2>&1 |
        tee "$work/swift-test.log"
fi
# XCTest's last word, e.g. "Executed 13 tests, with 0 failures (0 unexpected)".
tail -n 3 "$work/swift-test.log" | grep -Eq "Executed [0-9]+ tests?, with 0 failures"
