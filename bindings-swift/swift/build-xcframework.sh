#!/usr/bin/env bash
# Builds AuthingResignFFI.xcframework (iOS device, iOS simulator, macOS), zips it, prints
# the zip's SwiftPM checksum, and generates the Swift sources for the root Package.swift.
# Needs macOS with Xcode and rustup; run from anywhere:
#   bindings-swift/swift/build-xcframework.sh            # release build
#   PROFILE=debug bindings-swift/swift/build-xcframework.sh
# Output: bindings-swift/swift/AuthingResignFFI.xcframework (used by Package.swift in
# development), AuthingResignFFI.xcframework.zip next to it (the release asset) and its
# checksum on the last line of stdout (`checksum: <sha256>`), for stamp-release.sh.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source-path=SCRIPTDIR source=../build-env.sh
. "$here/../build-env.sh"
lib=libauthing_resign_ffi.a

targets=(aarch64-apple-ios aarch64-apple-ios-sim x86_64-apple-ios aarch64-apple-darwin x86_64-apple-darwin)
rustup target add "${targets[@]}"
for t in "${targets[@]}"; do
    # The crate is a cdylib for the JVM; iOS links a static library, asked for here only.
    (cd "$root" && cargo rustc -p authing-resign-ffi --lib --crate-type staticlib --target "$t" "${cargo_flags[@]}")
done

# Generate the Swift API and the C header/modulemap from the host build (uniffi reads
# the metadata in the library; generate before any strip).
build_bindgen
"$here/generate.sh" "$bindgen" "$target_dir/aarch64-apple-darwin/$profile/$lib"

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# The simulator and macOS slices each hold two architectures: one fat library each.
lipo -create "$target_dir/aarch64-apple-ios-sim/$profile/$lib" "$target_dir/x86_64-apple-ios/$profile/$lib" \
    -output "$out/ios-sim-$lib"
lipo -create "$target_dir/aarch64-apple-darwin/$profile/$lib" "$target_dir/x86_64-apple-darwin/$profile/$lib" \
    -output "$out/macos-$lib"

# The header and module map go under Headers/AuthingResignFFI/, not flat in Headers/:
# Xcode copies every xcframework's headers into one include directory, where two Rust
# xcframeworks' flat module.modulemap files would overwrite each other.
headers="$out/headers"
mkdir -p "$headers/AuthingResignFFI"
cp "$here/Sources/AuthingResignFFI/AuthingResignFFI.h" "$here/Sources/AuthingResignFFI/module.modulemap" \
    "$headers/AuthingResignFFI/"
rm -rf "$here/AuthingResignFFI.xcframework" "$here/AuthingResignFFI.xcframework.zip"
xcodebuild -create-xcframework \
    -library "$target_dir/aarch64-apple-ios/$profile/$lib" -headers "$headers" \
    -library "$out/ios-sim-$lib" -headers "$headers" \
    -library "$out/macos-$lib" -headers "$headers" \
    -output "$here/AuthingResignFFI.xcframework"
# SwiftPM wants the zip to hold AuthingResignFFI.xcframework at its top level.
(cd "$here" && ditto -c -k --sequesterRsrc --keepParent AuthingResignFFI.xcframework AuthingResignFFI.xcframework.zip)
echo "built $here/AuthingResignFFI.xcframework and $here/AuthingResignFFI.xcframework.zip"
echo "checksum: $(cd "$root" && swift package compute-checksum "$here/AuthingResignFFI.xcframework.zip")"
