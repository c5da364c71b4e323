#!/usr/bin/env bash
# Generates the Swift bindings from a built authing-resign-ffi library (any platform's:
# uniffi reads the metadata embedded in it) and lays them out for Package.swift:
#   Sources/AuthingResign/AuthingResign.swift          the Swift API (target AuthingResign)
#   Sources/AuthingResign/*.swift                      the hand-written Extensions/ beside it
#   Sources/AuthingResignFFI/AuthingResignFFI.h        the C header   } the headers of the
#   Sources/AuthingResignFFI/module.modulemap          its modulemap  } XCFramework
# Usage: generate.sh <uniffi-bindgen binary> <libauthing_resign_ffi.{so,dylib,a}>
set -euo pipefail
bindgen=$1
lib=$2
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Run from the workspace so library mode finds bindings-swift/uniffi.toml.
(cd "$here/../.." && "$bindgen" generate --no-format --language swift --out-dir "$tmp" "$lib")

rm -rf "$here/Sources"
mkdir -p "$here/Sources/AuthingResign" "$here/Sources/AuthingResignFFI"
mv "$tmp/AuthingResign.swift" "$here/Sources/AuthingResign/AuthingResign.swift"
# Hand-written additions to the same module (Task cancellation of bulk jobs).
cp "$here"/Extensions/*.swift "$here/Sources/AuthingResign/"
mv "$tmp/AuthingResignFFI.h" "$here/Sources/AuthingResignFFI/AuthingResignFFI.h"
# uniffi's module map says `use "Darwin"`, which no non-Apple build can satisfy; a `use`
# only matters under -fmodules-decluse, so Apple builds lose nothing without it.
grep -v 'use "Darwin"' "$tmp/AuthingResignFFI.modulemap" >"$here/Sources/AuthingResignFFI/module.modulemap"
echo "Swift bindings written to $here/Sources"
