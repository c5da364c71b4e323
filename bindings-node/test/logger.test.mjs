// The `logger` option: the core's events (retries, attempt failures, token fetches,
// call results) reach the logger of the client that made the call, with structured
// fields, in pino's (fields, msg) or winston/console's (msg, fields) order, never with a
// secret, token or signature, and a broken logger never breaks a call.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ManagementClient } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, clientOptions, useEmulator } from './helpers/emulator.mjs';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RESIGN = '/api/v3/resign-user-batch';
const emu = useEmulator();
const fast = { retryBaseDelay: 10, retryMaxDelay: 200 };

/** A pino-shaped logger (no `log` method): records `{ level, fields, msg }`. */
function pinoLike() {
  const records = [];
  const logger = {};
  for (const level of ['debug', 'info', 'warn', 'error']) {
    logger[level] = (fields, msg, ...rest) => records.push({ level, fields, msg, rest });
  }
  return { logger, records };
}

/** A console/winston-shaped logger (has `log`): records `{ level, msg, fields }`. */
function consoleLike() {
  const { logger, records } = pinoLike();
  const shaped = { log() {} };
  for (const level of Object.keys(logger)) shaped[level] = (msg, fields) => logger[level](fields, msg);
  return { logger: shaped, records };
}

async function seedOne(username) {
  const [{ userId }] = await emu.seed([{ username }]);
  return userId;
}

test('a 503 then success: a warn record of the retry and a debug record of the success, structured', async () => {
  const id = await seedOne('retried');
  await emu.fault({ route: RESIGN, kind: 'http_status', status: 503, times: 1 });
  const { logger, records } = pinoLike();
  const client = new ManagementClient(clientOptions(emu, { ...fast, logger }));
  await client.resignUserBatch({ userIds: [id] });
  // Delivered before the promise settled: no waiting here.
  const retry = records.find((r) => r.level === 'warn');
  assert.ok(retry, JSON.stringify(records));
  assert.match(retry.msg, /authing call failed; retrying/);
  assert.equal(retry.fields.path, RESIGN);
  assert.equal(retry.fields.attempt, 1);
  assert.equal(retry.fields.status, 503);
  assert.equal(typeof retry.fields.delay_ms, 'number');
  assert.equal(typeof retry.fields.error, 'string');
  assert.match(retry.fields.target, /^authing_resign/);
  assert.deepEqual(retry.rest, [], 'pino order: (fields, msg) and nothing else');
  const success = records.find((r) => r.level === 'debug' && /succeeded/.test(r.msg));
  assert.ok(success, JSON.stringify(records));
  assert.equal(success.fields.attempt, 2);
  assert.equal(success.fields.path, RESIGN);
});

test('token auth: the token fetch is logged; console-shaped loggers get (msg, fields)', async () => {
  const id = await seedOne('token-logged');
  const { logger, records } = consoleLike();
  const client = new ManagementClient(clientOptions(emu, { auth: 'token', logger }));
  await client.resignUserBatch({ userIds: [id] });
  const fetched = records.find((r) => /management token fetched/.test(r.msg));
  assert.ok(fetched, JSON.stringify(records));
  assert.equal(fetched.level, 'debug');
  assert.equal(fetched.fields.status, 200);
  assert.equal(fetched.fields.ok, true);
});

test('per client: each logger receives only the events of its own client, also when calls overlap', async () => {
  const [a, b] = [await seedOne('client-a'), await seedOne('client-b')];
  const first = pinoLike();
  const second = pinoLike();
  const batch = new ManagementClient(clientOptions(emu, { logger: first.logger }));
  const single = new ManagementClient(clientOptions(emu, { logger: second.logger }));
  const silent = new ManagementClient(clientOptions(emu));
  await Promise.all([
    ...Array.from({ length: 5 }, () => batch.resignUserBatch({ userIds: [a] })),
    ...Array.from({ length: 5 }, () => single.resignUser({ userId: b })),
    ...Array.from({ length: 5 }, () => silent.resignUser({ userId: b })),
  ]);
  const paths = (records) => records.filter((r) => r.fields.path).map((r) => r.fields.path);
  assert.deepEqual(paths(first.records), Array(5).fill(RESIGN));
  assert.deepEqual(paths(second.records), Array(5).fill('/api/v3/resign-user'));
});

test('bulk jobs log through the client logger too', async () => {
  const ids = [await seedOne('bulk-1'), await seedOne('bulk-2')];
  await emu.fault({ route: RESIGN, kind: 'http_status', status: 502, times: 1 });
  const { logger, records } = pinoLike();
  const client = new ManagementClient(clientOptions(emu, { ...fast, logger }));
  const report = await client.resignUsers({ userIds: ids, chunkSize: 1, concurrency: 1 });
  assert.equal(report.totals.resigned, 2);
  assert.equal(records.filter((r) => r.level === 'warn' && r.fields.status === 502).length, 1);
  assert.equal(records.filter((r) => r.level === 'debug' && /succeeded/.test(r.msg)).length, 2);
});

test('missing methods are skipped, and a throwing or rejecting logger breaks nothing', async () => {
  const id = await seedOne('broken-logger');
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  try {
    const warned = [];
    const loggers = [
      {},
      { warn: (fields) => warned.push(fields) },
      { debug() { throw new Error('logger broke'); }, warn() { throw new Error('logger broke'); } },
      { debug: async () => { throw new Error('async logger broke'); }, warn: async () => { throw new Error('x'); } },
      { get warn() { throw new Error('getter broke'); }, debug: 'not a function' },
    ];
    for (const logger of loggers) {
      await emu.fault({ route: RESIGN, kind: 'http_status', status: 503, times: 1 });
      const client = new ManagementClient(clientOptions(emu, { ...fast, logger }));
      const resp = await client.resignUserBatch({ userIds: [id] });
      assert.equal(resp.statusCode, 200);
      const report = await client.resignUsers({ userIds: [id] });
      assert.equal(report.totals.resigned, 1);
    }
    assert.equal(warned.length, 1, 'a logger with only warn gets the retry');
    await new Promise((ok) => setTimeout(ok, 50));
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
});

test('a logger that is not an object is a TypeError naming it', () => {
  for (const bad of ['debug', 42, true]) {
    assert.throws(() => new ManagementClient(clientOptions(emu, { logger: bad })), /`logger`/);
  }
  new ManagementClient(clientOptions(emu, { logger: null }));
  new ManagementClient(clientOptions(emu, { logger: console }));
});

test('no record ever holds the secret, a token, a signature or an authorization value', async () => {
  const SECRET = 'sEcReT-value-that-must-never-leak';
  const id = await seedOne('leak-check');
  const { logger, records } = pinoLike();
  const scenarios = [
    { auth: 'signature' },
    { auth: 'token' },
    { auth: 'signature', accessKeySecret: SECRET },
    { auth: 'token', accessKeySecret: SECRET },
  ];
  for (const extra of scenarios) {
    for (const fault of [{ kind: 'http_status', status: 503 }, { kind: 'drop' }, { kind: 'non_json' }]) {
      await emu.fault({ route: '*', ...fault, times: 1 });
      const client = new ManagementClient(clientOptions(emu, { ...fast, maxRetries: 2, ...extra, logger }));
      await client.resignUserBatch({ userIds: [id] }).catch(() => {});
      await client.resignUsers({ userIds: [id, 'x'] });
    }
  }
  assert.ok(records.length > 20, `${records.length} records`);
  assert.ok(records.some((r) => /token fetched/.test(r.msg)), 'token fetches were logged');
  assert.ok(records.some((r) => r.level === 'warn'), 'retries were logged');
  const text = JSON.stringify(records);
  for (const secret of [SECRET, ACCESS_KEY_SECRET]) assert.ok(!text.includes(secret), 'a secret leaked');
  assert.doesNotMatch(text, /eyJ[\w-]+\.[\w-]+/, 'a JWT (management token) leaked');
  assert.doesNotMatch(text, /bearer/i, 'an authorization header leaked');
  assert.doesNotMatch(text, new RegExp(`authing ${ACCESS_KEY_ID}:`), 'a signature leaked');
  assert.doesNotMatch(text, /x-authing-signature|signature-nonce/i, 'signature headers leaked');
});

test('a client with a logger does not keep the process alive', async () => {
  const id = await seedOne('exits');
  const r = spawnSync(
    process.execPath,
    [
      '-e',
      `const { ManagementClient } = require('authing-resign');
       const seen = [];
       const c = new ManagementClient({ accessKeyId: ${JSON.stringify(ACCESS_KEY_ID)},
         accessKeySecret: ${JSON.stringify(ACCESS_KEY_SECRET)}, host: ${JSON.stringify(emu.url)},
         logger: { debug: (f, m) => seen.push(m) } });
       c.resignUserBatch({ userIds: [${JSON.stringify(id)}] }).then(() => console.log(seen.length));`,
    ],
    { cwd: PKG, encoding: 'utf8', timeout: 30_000, env: { ...process.env, AUTHING_RESIGN_LOG: '' } },
  );
  assert.equal(r.signal, null, 'the process ended by itself');
  assert.equal(r.status, 0, r.stderr);
  assert.ok(Number(r.stdout.trim()) >= 1, r.stdout);
});
