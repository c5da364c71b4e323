// The npm package as published: what `npm pack` puts in it, and the prepublish step
// that makes npm install the platform package holding the addon. (`make
// node-pack-check` goes further: it packs the release layout, installs it and loads it.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(resolve(pkgDir, 'package.json'), 'utf8'));

function packedFiles() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const out = execFileSync(npm, ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkgDir, encoding: 'utf8' });
  return JSON.parse(out)[0].files.map((f) => f.path);
}

test('npm pack ships the loader, its declarations, the JS API and a README, but no addon', () => {
  const files = packedFiles();
  for (const f of [
    'package.json',
    'README.md',
    'native.js',
    'native.d.ts',
    'lib/index.js',
    'lib/index.mjs',
    'lib/index.d.ts',
    'lib/index.d.mts',
    'lib/client.js',
    'lib/errors.js',
    'lib/report.js',
  ]) {
    assert.ok(files.includes(f), `${f} is in the package (got ${files.join(', ')})`);
  }
  assert.deepEqual(files.filter((f) => f.endsWith('.node')), [], 'the addon ships in the platform package');
  assert.deepEqual(files.filter((f) => f.startsWith('test/') || f.startsWith('src/')), []);
});

test('publishing runs napi prepublish, which adds the platform packages as optional dependencies', () => {
  assert.match(pkg.scripts.prepublishOnly ?? '', /^napi prepublish\b.*-t npm/);
  assert.equal(pkg.napi.packageName, pkg.name);
  // The loader requires `<packageName>-<platform>`; prepublish declares the same names.
  const loader = readFileSync(resolve(pkgDir, 'native.js'), 'utf8');
  assert.ok(pkg.napi.targets.includes('x86_64-unknown-linux-gnu'));
  assert.ok(loader.includes(`require('${pkg.napi.packageName}-linux-x64-gnu')`), 'the loader falls back to the platform package');
  assert.equal(pkg.optionalDependencies, undefined, 'declared at publish time, so npm ci here never fetches them');
});
