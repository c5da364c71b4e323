#!/usr/bin/env bash
# Fills the Android module: libauthing_resign_ffi.so for each ABI (cargo-ndk) under
# src/main/jniLibs/<abi>/, and the generated Kotlin (messages pointed at the core's) with the
# hand-written kotlin/lib/ under src/main/kotlin/.
# Needs the Android NDK (ANDROID_NDK_HOME) and `cargo install cargo-ndk`.
#   bindings-swift/android/build-android.sh            # release build
#   PROFILE=debug bindings-swift/android/build-android.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../build-env.sh
. "$here/../build-env.sh"

rustup target add aarch64-linux-android armv7-linux-androideabi x86_64-linux-android i686-linux-android
(cd "$root" && cargo ndk -t arm64-v8a -t armeabi-v7a -t x86_64 -t x86 -o "$here/src/main/jniLibs" \
    build -p authing-resign-ffi "${cargo_flags[@]}")

# Kotlin from one of the Android builds (uniffi reads the metadata in the library).
build_bindgen
(cd "$root" && "$bindgen" generate --no-format --language kotlin \
    --config "$here/uniffi-android.toml" --out-dir "$here/src/main/kotlin" \
    "$target_dir/aarch64-linux-android/$profile/libauthing_resign_ffi.so")
python3 "$here/../kotlin/patch_generated.py" "$here/src/main/kotlin"
cp "$here"/../kotlin/lib/*.kt "$here/src/main/kotlin/authing/resign/"
echo "Android module ready in $here"
