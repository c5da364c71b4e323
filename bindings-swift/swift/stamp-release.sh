#!/usr/bin/env bash
# Points the root Package.swift at a released xcframework zip, for the release tag only
# (the release workflow commits the result together with the generated Swift sources).
# Usage: stamp-release.sh URL CHECKSUM
set -euo pipefail
url=$1
checksum=$2
manifest="$(cd "$(dirname "$0")/../.." && pwd)/Package.swift"
[[ $checksum =~ ^[0-9a-f]{64}$ ]] || { echo "not a SwiftPM checksum: $checksum" >&2; exit 2; }
[[ $url =~ ^https://[^\"\\]+\.zip$ ]] || { echo "not an https .zip URL: $url" >&2; exit 2; }
sed -i.bak -e "s|^let releaseURL: String? = .*|let releaseURL: String? = \"$url\"|" \
    -e "s|^let releaseChecksum: String? = .*|let releaseChecksum: String? = \"$checksum\"|" "$manifest"
rm -f "$manifest.bak"
grep -q "^let releaseURL: String? = \"$url\"" "$manifest"
grep -q "^let releaseChecksum: String? = \"$checksum\"" "$manifest"
echo "Package.swift now downloads $url"
