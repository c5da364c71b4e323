// The client options are declared once, in Rust (src/options.rs): the type checks of
// lib/validate.js read that list, and the generated declaration (native.d.ts) is the
// same struct. A test here fails when an option is added in one place only.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';

const require = createRequire(import.meta.url);
const native = require('../native.js');
const { clientOptions } = require('../lib/validate.js');

const kinds = native.clientOptionKinds();
const names = kinds.map((k) => k.name);

// A value of each kind, and one of another kind.
const GOOD = { string: 'x', number: 1, boolean: true, object: { 'x-a': 'b' } };
const BAD = { string: 1, number: 'x', boolean: 'x', object: 'x' };

test('the option list is the napi declaration of ClientOptions, legacy names included', () => {
  const dts = readFileSync(new URL('../native.d.ts', import.meta.url), 'utf8');
  const body = /export interface ClientOptions \{([\s\S]*?)\n\}/.exec(dts)?.[1];
  assert.ok(body, 'native.d.ts declares ClientOptions');
  const declared = [...body.matchAll(/^\s*(\w+)\??:/gm)].map((m) => m[1]);
  assert.deepEqual([...names].sort(), [...declared].sort());
  assert.equal(new Set(names).size, names.length);
  for (const legacy of ['socketUri', 'retryTimes']) assert.ok(names.includes(legacy), legacy);
});

test('every option of the list is type-checked by name and forwarded', () => {
  for (const { name, kind } of kinds) {
    assert.ok(kind in GOOD, `${name}: kind ${kind} is one validate.js checks`);
    const out = clientOptions({ [name]: GOOD[kind] });
    assert.deepEqual(out[name], GOOD[kind], `${name} is forwarded`);
    assert.throws(
      () => clientOptions({ [name]: BAD[kind] }),
      (err) => err instanceof TypeError && err.message.startsWith(`\`${name}\` must be`),
      `${name}: a wrong type is a TypeError naming it`,
    );
  }
});

test('unknown keys are not forwarded; null counts as unset', () => {
  const out = clientOptions({ accessKeyId: 'id', accessKeySecret: 's', nope: 1, host: null });
  assert.deepEqual(out, { accessKeyId: 'id', accessKeySecret: 's' });
});

test('a rejected option is named as the caller passed it (the ClientOptions field that sets it)', () => {
  const { ManagementClient, ConfigError } = require('../lib/index.js');
  const base = { accessKeyId: 'id', accessKeySecret: 's', host: 'http://127.0.0.1:1' };
  const bad = {
    accessKeyId: '', accessKeySecret: '', host: 'ftp://x', timeout: -1, connectTimeout: -1,
    auth: 'bogus', maxRetries: -1, retryBaseDelay: -1, retryMaxDelay: -1, totalTimeout: -1,
    caCert: 'not a pem', proxy: '::bad', headers: { 'bad name': 'v' }, tenantId: '\n',
    maxResponseBytes: -1,
  };
  for (const [name, value] of Object.entries(bad)) {
    assert.ok(names.includes(name), name);
    assert.throws(
      () => new ManagementClient({ ...base, [name]: value }),
      (err) => err instanceof ConfigError && err.option === name && err.message.includes(`\`${name}\``),
      name,
    );
  }
});
