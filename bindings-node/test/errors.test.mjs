// Every error class and its fields; validation and JavaScript type errors; no crash.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ApiError,
  AuthingError,
  ConfigError,
  DecodeError,
  InvalidArgumentError,
  ManagementClient,
  TimeoutError,
  TransportError,
} from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();

const ROUTE = '/api/v3/resign-user-batch';
const journalCalls = async () => (await emu.journal()).filter((e) => e.path === ROUTE).length;

/** Asserts that `promise` rejects with an instance of `cls` and returns the error. */
async function rejection(promise, cls) {
  let caught;
  await assert.rejects(promise, (err) => {
    caught = err;
    return true;
  });
  assert.ok(caught instanceof cls, `expected ${cls.name}, got ${caught?.name}: ${caught?.message}`);
  assert.ok(caught instanceof AuthingError || cls === TypeError);
  assert.ok(caught instanceof Error);
  return caught;
}

test('ApiError: an unknown user carries statusCode, apiCode, requestId, httpStatus', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), ApiError);
  assert.equal(err.name, 'ApiError');
  assert.equal(err.code, 'api_error');
  assert.equal(err.statusCode, 404);
  assert.equal(err.apiCode, 2004);
  assert.equal(typeof err.requestId, 'string');
  assert.ok(err.requestId.length > 0);
  assert.equal(err.httpStatus, 200);
  assert.equal(typeof err.apiMessage, 'string');
  assert.ok(err.message.includes(err.requestId), 'the message names the request id');
  assert.equal(err.isRetryable(), false);
  assert.equal(err.isAuth(), false);
  const [entry] = (await emu.journal()).filter((e) => e.path === ROUTE);
  assert.equal(entry.requestId, err.requestId);
});

test('ApiError: a wrong secret is an auth failure (401, apiCode 1300), not retried', async () => {
  const client = new ManagementClient(clientOptions(emu, { accessKeySecret: 'wrong-secret-value' }));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), ApiError);
  assert.equal(err.statusCode, 401);
  assert.equal(err.apiCode, 1300);
  assert.equal(err.isAuth(), true);
  assert.equal(await journalCalls(), 1);
});

test('ApiError: a wrong secret in token mode fails the token fetch with an auth error', async () => {
  const client = new ManagementClient(clientOptions(emu, { auth: 'token', accessKeySecret: 'wrong-secret-value' }));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), ApiError);
  assert.equal(err.isAuth(), true);
  assert.equal(await journalCalls(), 0, 'nothing is sent without a token');
});

test('TimeoutError: a slow answer past the per-attempt timeout (phase attempt)', async () => {
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 1500, times: 1 });
  const client = new ManagementClient(clientOptions(emu, { timeout: 200, maxRetries: 0 }));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), TimeoutError);
  assert.equal(err.code, 'timeout');
  assert.equal(err.phase, 'attempt');
  assert.equal(err.isRetryable(), true);
});

test('TransportError: nothing listening on the port', async () => {
  const client = new ManagementClient(clientOptions(emu, { host: 'http://127.0.0.1:1', maxRetries: 0 }));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), TransportError);
  assert.equal(err.code, 'transport');
  assert.equal(err.isRetryable(), true);
  assert.ok(err.detail.length > 0 && err.message.endsWith(err.detail), 'detail is the cause');
});

test('DecodeError: an HTML page instead of the JSON envelope', async () => {
  await emu.fault({ route: ROUTE, kind: 'non_json', times: 1 });
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 0 }));
  const err = await rejection(client.resignUserBatch({ userIds: ['000000000000000000000000'] }), DecodeError);
  assert.equal(err.code, 'decode');
  assert.equal(err.httpStatus, 200);
  assert.equal(typeof err.reason, 'string');
  assert.equal(typeof err.snippet, 'string');
  assert.ok(err.snippet.length > 0);
});

test('ConfigError: each bad option is named', () => {
  const cases = [
    [{ host: 'http://example.com' }, 'host'],
    [{ host: 'not a url' }, 'host'],
    [{ timeout: -1 }, 'timeout'],
    [{ timeout: 0 }, 'timeout'],
    [{ timeout: Number.NaN }, 'timeout'],
    [{ connectTimeout: Infinity }, 'connectTimeout'],
    [{ maxRetries: -1 }, 'maxRetries'],
    [{ maxRetries: 1.5 }, 'maxRetries'],
    [{ auth: 'kerberos' }, 'auth'],
    [{ accessKeyId: '' }, 'accessKeyId'],
    [{ accessKeySecret: undefined }, 'accessKeySecret'],
    [{ headers: { 'bad header': 'x' } }, 'headers'],
    [{ lang: '' }, 'lang'],
    [{ proxy: '::nope::' }, 'proxy'],
  ];
  for (const [extra, option] of cases) {
    const opts = { ...clientOptions(emu), ...extra };
    assert.throws(
      () => new ManagementClient(opts),
      (err) => err instanceof ConfigError && err.code === 'config' && err.option === option && err.reason.length > 0,
      `options ${JSON.stringify(extra)} should name ${option}`,
    );
  }
});

test('InvalidArgumentError: local rules, before any network call', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const cases = [
    [{ userIds: [] }, 'userIds', null],
    [{ userIds: Array.from({ length: 51 }, (_, i) => `id${i}`) }, 'userIds', null],
    [{ userIds: ['ok', ''] }, 'userIds', 1],
    [{ userIds: ['ok', 'ok2', '   '] }, 'userIds', 2],
    [{ userIds: [' padded'] }, 'userIds', 0],
    [{ userIds: ['ctl\u0007'] }, 'userIds', 0],
    [{ userIds: ['x'.repeat(300)] }, 'userIds', 0],
    [{ userIds: ['no-colon'], userIdType: 'identity' }, 'userIds', 0],
    [{ userIds: ['ok'], userIdType: 'nickname' }, 'userIdType', null],
  ];
  for (const [request, field, index] of cases) {
    const err = await rejection(client.resignUserBatch(request), InvalidArgumentError);
    assert.equal(err.code, 'invalid_argument');
    assert.equal(err.field, field, JSON.stringify(request).slice(0, 80));
    assert.equal(err.index, index);
    assert.ok(err.reason.length > 0);
    assert.ok(err.message.includes(field));
  }
  const tooMany = await rejection(
    client.resignUserBatch({ userIds: Array.from({ length: 51 }, (_, i) => `id${i}`) }),
    InvalidArgumentError,
  );
  assert.match(tooMany.reason, /resign_?users/i, 'points to resignUsers');
  const unknownType = await rejection(client.resignUser({ userId: 'x', userIdType: 'nickname' }), InvalidArgumentError);
  assert.equal(unknownType.field, 'userIdType');
  assert.equal(await journalCalls(), 0, 'nothing was sent');
});

test('TypeError: wrong JavaScript types reject, naming the field, and never crash', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const cases = [
    [undefined, 'request'],
    [null, 'request'],
    ['abc', 'request'],
    [{}, 'userIds'],
    [{ userIds: 'abc' }, 'userIds'],
    [{ userIds: [1] }, 'userIds[0]'],
    [{ userIds: ['a', null] }, 'userIds[1]'],
    [{ userIds: ['a', { id: 'b' }] }, 'userIds[1]'],
    [{ userIds: ['a'], userIdType: 5 }, 'userIdType'],
  ];
  for (const [request, field] of cases) {
    const err = await rejection(client.resignUserBatch(request), TypeError);
    assert.ok(err.message.includes(`\`${field}\``), `${err.message} names ${field}`);
  }
  await rejection(client.resignUser({ userId: 42 }), TypeError);
  await rejection(client.resignUsers({ userIds: [1, 2] }), TypeError);
  await rejection(client.resignUsers({ userIds: ['a'], chunkSize: '10' }), TypeError);
  await rejection(client.resignUsers({ userIds: ['a'], onProgress: 'yes' }), TypeError);
  await rejection(client.resignUsers({ userIds: ['a'], signal: {} }), TypeError);
  assert.throws(() => new ManagementClient(), TypeError);
  assert.throws(() => new ManagementClient({ ...clientOptions(emu), timeout: '100' }), TypeError);
  assert.throws(() => new ManagementClient({ ...clientOptions(emu), headers: { a: 1 } }), TypeError);
  assert.throws(() => new ManagementClient({ ...clientOptions(emu), caCert: 42 }), TypeError);
  assert.equal(await journalCalls(), 0);
});

test('TypeError: a hole in a sparse userIds array is named, for every method', async () => {
  const client = new ManagementClient(clientOptions(emu));
  // eslint-disable-next-line no-sparse-arrays
  const sparse = ['a@example.com', , 'b@example.com'];
  const holeAtEnd = ['a@example.com'];
  holeAtEnd.length = 2;
  for (const userIds of [sparse, holeAtEnd]) {
    for (const call of [
      () => client.resignUserBatch({ userIds }),
      () => client.resignUsers({ userIds }),
      () => client.resignUsers({ userIds, dryRun: true }),
    ]) {
      const err = await rejection(call(), TypeError);
      assert.ok(err.message.includes('`userIds[1]`'), `${err.message} names userIds[1]`);
    }
  }
  assert.equal(await journalCalls(), 0, 'nothing was sent');
});

test('TypeError: a lone surrogate is refused by position before anything is sent, never sent as U+FFFD', async () => {
  const client = new ManagementClient(clientOptions(emu));
  // 'x\uD800' and 'x\uDC00' would both become 'x\uFFFD' in UTF-8: two different ids
  // resigning one third user. Each position and each kind of lone surrogate is named.
  const hostile = ['x\uD800', 'x\uDC00', '\uD800', '\uDFFFa', 'a\uDC00\uD800b', '\uD83D\uD83D\uDE00x', 'ok\uD800'];
  for (const bad of hostile) {
    const userIds = ['a@example.com', 'b@example.com', bad];
    for (const [call, field] of [
      [() => client.resignUserBatch({ userIds }), 'userIds[2]'],
      [() => client.resignUsers({ userIds }), 'userIds[2]'],
      [() => client.resignUsers({ userIds, dryRun: true }), 'userIds[2]'],
      [() => client.resignUser({ userId: bad }), 'userId'],
      [() => client.resignUser({ userId: 'a@example.com', userIdType: bad }), 'userIdType'],
    ]) {
      const err = await rejection(call(), TypeError);
      assert.ok(err.message.includes(`\`${field}\``), `${err.message} names ${field}`);
      assert.match(err.message, /lone surrogate U\+D[89A-F][0-9A-F]{2} at UTF-16 offset \d+/);
    }
  }
  // Options that reach the wire (headers, signature) are held to the same rule.
  for (const [key, value] of [
    ['accessKeyId', 'key\uD800'],
    ['accessKeySecret', '\uDC00secret'],
    ['lang', 'zh-CN\uD800'],
    ['tenantId', '\uD800'],
    ['host', `${emu.url}\uDC00`],
  ]) {
    assert.throws(() => new ManagementClient({ ...clientOptions(emu), [key]: value }), (err) => {
      assert.ok(err instanceof TypeError);
      assert.ok(err.message.includes(`\`${key}\``), err.message);
      return true;
    });
  }
  assert.throws(() => new ManagementClient({ ...clientOptions(emu), headers: { 'x-a': 'v\uD800' } }), /headers\.x-a/);
  assert.throws(() => new ManagementClient({ ...clientOptions(emu), caCert: 'pem\uDC00' }), /`caCert`/);
  assert.equal(await journalCalls(), 0, 'nothing was sent');
});

test('a well-formed surrogate pair (emoji, astral CJK) is sent byte-identical', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const id = 'u\u{1F600}\u{20000}\uD83D\uDE00';
  await emu.seed([{ userId: id, email: 'pair@example.com' }]);
  await client.resignUserBatch({ userIds: [id], userIdType: 'user_id' });
  const sent = (await emu.journal()).filter((e) => e.path === ROUTE);
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].body.userIds, [id]);
});

test('the native layer rejects with an Error carrying the fields as properties, no JSON in the message', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const native = require('../native.js');
  const marker = native.errorMarker();
  const client = new native.NativeClient(clientOptions(emu));
  let rejected;
  try {
    // The native method takes the request apart (lib/validate.js): ids joined, count, array, type.
    await client.resignUserBatch('000000000000000000000000', 1, ['000000000000000000000000']);
  } catch (err) {
    rejected = err;
  }
  assert.ok(rejected instanceof Error, String(rejected));
  assert.equal(rejected[marker], true);
  assert.equal(rejected.code, 'api_error');
  assert.equal(rejected.statusCode, 404);
  assert.equal(rejected.apiCode, 2004);
  assert.equal(typeof rejected.requestId, 'string');
  assert.equal(rejected.retryable, false);
  assert.ok(rejected.message.includes(rejected.requestId), rejected.message);
  assert.ok(!rejected.message.includes('{'), `plain text, not a payload: ${rejected.message}`);
  let thrown;
  try {
    new native.NativeClient({ ...clientOptions(emu), maxRetries: -1 });
  } catch (err) {
    thrown = err;
  }
  assert.ok(thrown instanceof Error);
  assert.equal(thrown[marker], true);
  assert.equal(thrown.code, 'config');
  assert.equal(thrown.option, 'maxRetries');
  assert.ok(!thrown.message.includes('{'), thrown.message);
});

test('a sync call site gets a rejected promise, not a synchronous throw', () => {
  const client = new ManagementClient(clientOptions(emu));
  const p = client.resignUserBatch(42);
  assert.ok(p instanceof Promise);
  return assert.rejects(p, TypeError);
});

test('defence in depth: the native layer itself rejects a wrong type, mapped to TypeError', async () => {
  const { createRequire } = await import('node:module');
  const require = createRequire(import.meta.url);
  const native = require('../native.js');
  const { fromNative } = require('../lib/errors.js');
  let thrown;
  try {
    new native.NativeClient({ accessKeyId: 1, accessKeySecret: 's' });
  } catch (err) {
    thrown = fromNative(err);
  }
  assert.ok(thrown instanceof TypeError, String(thrown));
  assert.ok(thrown.message.includes('accessKeyId'));
  const client = new native.NativeClient(clientOptions(emu));
  const mapped = async (call) => {
    try {
      return await call();
    } catch (err) {
      throw fromNative(err);
    }
  };
  // The joined ids not a string; an id holding the separator (U+0000), so the array is
  // read, and it holds a number.
  await assert.rejects(mapped(() => client.resignUserBatch(1, 1, ['1'])), TypeError);
  await assert.rejects(mapped(() => client.resignUserBatch('a\0b', 1, [1])), TypeError);
});

test('each error class declares exactly the core fields (index.d.ts and lib/errors.js)', async () => {
  const { createRequire } = await import('node:module');
  const { readFileSync } = await import('node:fs');
  const require = createRequire(import.meta.url);
  const native = require('../native.js');
  const errors = require('../lib/errors.js');
  const dts = readFileSync(new URL('../lib/index.d.ts', import.meta.url), 'utf8');
  const declared = (name) => {
    const body = dts.match(new RegExp(`export declare class ${name} extends AuthingError \\{([^}]*)\\}`))[1];
    return [...body.matchAll(/readonly (\w+)\??:/g)].map((m) => m[1]).filter((k) => k !== 'code');
  };
  const classes = Object.values(errors).filter((c) => typeof c === 'function' && c.code);
  const byCode = new Map(classes.map((c) => [c.code, c]));
  // JS-only fields of this package (not the core's).
  const own = { cancelled: ['report'] };
  for (const [code, fields] of Object.entries(native.errorFields())) {
    const cls = byCode.get(code);
    assert.ok(cls, `a class for ${code}`);
    assert.deepEqual(declared(cls.name), [...fields, ...(own[code] ?? [])], cls.name);
    const made = new cls('x', {});
    for (const f of fields) assert.equal(made[f], null, `${cls.name}.${f} defaults to null`);
  }
});
