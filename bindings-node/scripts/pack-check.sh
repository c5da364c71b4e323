#!/bin/sh
# Packs the npm release layout the way `npm publish` would (after `napi prepublish`
# wires the platform package in as an optional dependency), installs both tarballs
# into an empty project without the registry, and loads the package from there with
# require and import. Run by `make node-pack-check` after `make node-release`.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
napi="$here/node_modules/.bin/napi"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Stage a copy: prepublish rewrites package.json, which must not touch the checkout.
stage="$tmp/stage"
mkdir -p "$stage"
cp -R "$here/package.json" "$here/README.md" "$here/lib" "$here/native.js" "$here/native.d.ts" "$here/npm" "$stage/"
(cd "$stage" && "$napi" prepublish -t npm --skip-optional-publish --no-gh-release)
version=$(node -p "require('$stage/package.json').version")
optional=$(node -p "JSON.stringify(require('$stage/package.json').optionalDependencies || {})")
echo "optionalDependencies after prepublish: $optional"
node -e "
  const o = JSON.parse(process.argv[1]);
  if (o['authing-resign-linux-x64-gnu'] !== process.argv[2]) {
    console.error('prepublish did not add authing-resign-linux-x64-gnu@' + process.argv[2]);
    process.exit(1);
  }" "$optional" "$version"

(cd "$stage" && npm pack --silent --pack-destination "$tmp" >/dev/null)
(cd "$stage/npm/linux-x64-gnu" && npm pack --silent --pack-destination "$tmp" >/dev/null)
root_tgz="$tmp/authing-resign-$version.tgz"
platform_tgz="$tmp/authing-resign-linux-x64-gnu-$version.tgz"
root_files=$(tar tzf "$root_tgz")
for f in package/package.json package/README.md package/native.js package/native.d.ts \
  package/lib/index.js package/lib/index.mjs package/lib/index.d.ts package/lib/index.d.mts; do
  echo "$root_files" | grep -qx "$f" || { echo "missing from the package: $f" >&2; exit 1; }
done
if echo "$root_files" | grep -q '\.node$'; then echo "the root package must not ship a .node" >&2; exit 1; fi
tar tzf "$platform_tgz" | grep -qx 'package/authing-resign.linux-x64-gnu.node' ||
  { echo "the platform package has no addon" >&2; exit 1; }

app="$tmp/app"
mkdir -p "$app"
echo '{ "name": "pack-check", "version": "0.0.0", "private": true }' >"$app/package.json"
(cd "$app" && npm install --offline --no-audit --no-fund --loglevel=error "$root_tgz" "$platform_tgz")
cd "$app"
node -e "
  const m = require('authing-resign');
  const c = new m.ManagementClient({ accessKeyId: 'id', accessKeySecret: 'secret' });
  if (typeof m.ApiError !== 'function' || c.toJSON().host === undefined) process.exit(1);
  console.log('require ok:', JSON.stringify(c));"
node --input-type=module -e "
  import { ManagementClient, UserIdType } from 'authing-resign';
  new ManagementClient({ accessKeyId: 'id', accessKeySecret: 'secret' });
  console.log('import ok: UserIdType.EMAIL =', UserIdType.EMAIL);"
echo "node-pack-check: authing-resign@$version installs from its tarballs and loads"
