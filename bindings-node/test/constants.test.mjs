// UserIdType, Outcome and AuthScheme come from the core's lists at run time, and the
// hand-written declarations (index.d.ts) name exactly those values.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { AuthScheme, ManagementClient, Outcome, UserIdType } from '../lib/index.mjs';

const require = createRequire(import.meta.url);
const native = require('../native.js');
const dts = readFileSync(new URL('../lib/index.d.ts', import.meta.url), 'utf8');

/** `{ KEY: 'value' }` of `export declare const <name>: { readonly KEY: 'value'; ... }`. */
function declared(name) {
  const body = dts.match(new RegExp(`export declare const ${name}: \\{([^}]*)\\}`))[1];
  return Object.fromEntries([...body.matchAll(/readonly (\w+): '([^']*)'/g)].map((m) => [m[1], m[2]]));
}

for (const [name, constants, list] of [
  ['UserIdType', UserIdType, native.userIdTypes()],
  ['Outcome', Outcome, native.outcomes()],
  ['AuthScheme', AuthScheme, native.authSchemes()],
]) {
  test(`${name}: the core's list, frozen, and declared exactly in index.d.ts`, () => {
    assert.ok(list.length > 1);
    assert.deepEqual(Object.values(constants), list);
    assert.ok(Object.isFrozen(constants));
    assert.deepEqual(declared(name), { ...constants });
  });
}

test('a client reports its scheme in the core spelling', () => {
  for (const auth of Object.values(AuthScheme)) {
    const client = new ManagementClient({ accessKeyId: 'k', accessKeySecret: 's', host: 'http://127.0.0.1:1', auth });
    assert.equal(client.toJSON().auth, auth);
  }
});

test('LogLevel in index.d.ts names exactly the logger methods the native side delivers to', () => {
  const union = dts.match(/export type LogLevel = ([^;]*);/)[1];
  assert.deepEqual([...union.matchAll(/'(\w+)'/g)].map((m) => m[1]), native.logLevels());
});
