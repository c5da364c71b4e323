# shellcheck shell=bash
# shellcheck disable=SC2034 # the variables are read by the scripts that source this file
# Sourced by swift/build-xcframework.sh and android/build-android.sh: the set-up they share
# for building the native library for release and generating its bindings.
# Sets: root (the workspace), profile ($PROFILE, default release), cargo_flags
# (--release for a release profile), target_dir ($CARGO_TARGET_DIR or <root>/target) and
# bindgen (the uniffi-bindgen binary, built by build_bindgen). The caller sets -euo pipefail.
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
profile=${PROFILE:-release}
cargo_flags=()
if [ "$profile" = release ]; then cargo_flags=(--release); fi
target_dir=${CARGO_TARGET_DIR:-$root/target}
bindgen=$target_dir/debug/uniffi-bindgen

# Builds the generator for the host (debug): uniffi reads the bindings' metadata from a
# built library of any target, so one host binary serves every platform.
build_bindgen() {
    (cd "$root" && cargo build -p authing-resign-uniffi-bindgen)
}
