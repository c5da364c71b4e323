// How a native call's promise settles (src/completion.rs: one completion channel per
// environment, src/dispatch.rs: the call handed to the runtime): successes and core
// errors from many promises at once, each settled when its call finishes, a panic, a
// process that reaches its end with calls in flight or with an idle client, process.exit()
// with calls in flight, and a worker thread's environment.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { InvalidArgumentError, ManagementClient, TimeoutError } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, clientOptions, useEmulator } from './helpers/emulator.mjs';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const emu = useEmulator();

test('successes and rejections interleaved over 200 promises each settle as themselves', async () => {
  const users = await emu.seed(Array.from({ length: 100 }, (_, i) => ({ username: `settle${i}` })));
  const client = new ManagementClient(clientOptions(emu, { timeout: 60_000 }));
  // Every other call has an id type the core refuses inside the call's task: its
  // rejection is built on the JS thread from the core's error, fields included.
  const calls = users.flatMap((u) => [
    client.resignUserBatch({ userIds: [u.userId] }),
    client.resignUserBatch({ userIds: [u.userId], userIdType: 'no_such_type' }),
  ]);
  const settled = await Promise.allSettled(calls);
  settled.forEach((s, i) => {
    if (i % 2 === 0) {
      assert.equal(s.status, 'fulfilled', `call ${i}: ${s.reason}`);
      assert.equal(s.value.statusCode, 200);
      assert.equal(s.value.data.success, true);
    } else {
      assert.equal(s.status, 'rejected');
      assert.ok(s.reason instanceof InvalidArgumentError, `call ${i}: ${s.reason}`);
      assert.equal(s.reason.field, 'userIdType');
    }
  });
  const resigned = (await emu.users()).filter((u) => u.status === 'Resigned').length;
  assert.equal(resigned, 100);
});

/** Runs `body` in a child Node process (CommonJS, the package loaded by name); a server
 * that accepts connections and never answers is at `slowUrl`, unref'd so only the
 * client's calls can keep the process alive. */
function child(body, env = {}) {
  const script = `
    const net = require('node:net');
    const { ManagementClient } = require('authing-resign');
    const server = net.createServer((socket) => socket.unref()).listen(0, '127.0.0.1', async () => {
      server.unref();
      const slowUrl = 'http://127.0.0.1:' + server.address().port;
      const options = (host, extra) => ({ accessKeyId: ${JSON.stringify(ACCESS_KEY_ID)},
        accessKeySecret: ${JSON.stringify(ACCESS_KEY_SECRET)}, host, ...extra });
      ${body}
    });`;
  return spawnSync(process.execPath, ['-e', script], {
    cwd: PKG,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, ...env },
  });
}

test('a process that reaches its end with calls in flight waits for them to settle', () => {
  const r = child(`
      const c = new ManagementClient(options(slowUrl, { timeout: 300, maxRetries: 0, auth: 'signature' }));
      let settled = 0;
      for (let i = 0; i < 20; i += 1) {
        c.resignUserBatch({ userIds: ['u' + i] }).then(
          () => console.log('resolved?'),
          (e) => { settled += 1; if (settled === 20) console.log('settled', settled, e.code, e.phase); });
      }`);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.signal, null);
  assert.equal(r.stdout.trim(), 'settled 20 timeout attempt');
});

test('process.exit() with calls in flight exits at once, with its code, without a crash', () => {
  const r = child(`
      const c = new ManagementClient(options(slowUrl, { timeout: 30000, maxRetries: 0, auth: 'signature' }));
      for (let i = 0; i < 50; i += 1) c.resignUserBatch({ userIds: ['u' + i] }).catch(() => {});
      setTimeout(() => { console.log('exiting'); process.exit(7); }, 200);`);
  assert.equal(r.signal, null, r.stderr);
  assert.equal(r.status, 7, r.stderr);
  assert.equal(r.stdout.trim(), 'exiting');
});

test('an error thrown while a call is being set up still rejects its promise', async () => {
  const client = new ManagementClient(clientOptions(emu));
  await assert.rejects(client.resignUserBatch({ userIds: ['a'], userIdType: 42 }), TypeError);
  await assert.rejects(client.resignUserBatch({ userIds: [''] }), InvalidArgumentError);
});

test('each promise settles when its call finishes, not behind a call started before it', async () => {
  const users = await emu.seed(Array.from({ length: 12 }, (_, i) => ({ username: `order${i}` })));
  const client = new ManagementClient(clientOptions(emu, { timeout: 60_000 }));
  // The first request to arrive is held 1.5 s by the server; the others are not.
  await emu.fault({ route: '/api/v3/resign-user-batch', kind: 'delay', delayMs: 1500, times: 1 });
  const t0 = performance.now();
  const order = [];
  const calls = users.map((u, i) =>
    client.resignUserBatch({ userIds: [u.userId] }).then((resp) => {
      order.push({ i, ms: performance.now() - t0 });
      return resp;
    }),
  );
  for (const resp of await Promise.all(calls)) assert.equal(resp.statusCode, 200);
  const held = order.filter((o) => o.ms >= 1400);
  assert.equal(held.length, 1, JSON.stringify(order));
  // The held call settled last; every other one settled before it, including those
  // started after it.
  assert.equal(order.at(-1).i, held[0].i, JSON.stringify(order));
});

test('a panic inside a native call rejects its promise, naming it; later calls still settle', async () => {
  const native = createRequire(import.meta.url)('../native.js');
  // Debug builds only (what the suite runs): a call that panics on the runtime, settled
  // through the same channel as every call.
  assert.equal(typeof native.panicInNativeCall, 'function', 'run the suite against a debug build');
  const settled = await Promise.allSettled([
    native.panicInNativeCall('on purpose'),
    native.panicInNativeCall('again'),
  ]);
  assert.deepEqual(
    settled.map((s) => [s.status, s.reason?.message]),
    [
      ['rejected', 'panic in the native call: on purpose'],
      ['rejected', 'panic in the native call: again'],
    ],
  );
  const [user] = await emu.seed([{ username: 'after-panic' }]);
  const client = new ManagementClient(clientOptions(emu));
  assert.equal((await client.resignUserBatch({ userIds: [user.userId] })).statusCode, 200);
});

test('a process whose calls are done exits on its own (the channel does not hold it open)', () => {
  const r = child(`
      const { url } = JSON.parse(process.env.EMU);
      const c = new ManagementClient(options(url, { auth: 'token' }));
      const idle = new ManagementClient(options(url));
      c.resignUserBatch({ userIds: ['no-such-user-exit'] }).then(
        () => console.log('resolved'),
        (e) => console.log('rejected', e.code, e.apiCode));`, { EMU: JSON.stringify({ url: emu.url }) });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.signal, null);
  assert.equal(r.stdout.trim(), 'rejected api_error 2004');
});

test('a worker thread makes calls, and ends with calls in flight, without harm to the main thread', async () => {
  const [user] = await emu.seed([{ username: 'in-a-worker' }]);
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const { ManagementClient } = require(workerData.pkg);
    const c = new ManagementClient(workerData.options);
    c.resignUserBatch({ userIds: [workerData.userId] }).then((r) => {
      // Calls left in flight when the worker is terminated.
      for (let i = 0; i < 20; i += 1) c.resignUserBatch({ userIds: ['w' + i] }).catch(() => {});
      parentPort.postMessage(r.statusCode);
    }, (e) => parentPort.postMessage(String(e)));`;
  const worker = new Worker(script, {
    eval: true,
    workerData: { pkg: PKG, options: clientOptions(emu, { timeout: 30_000 }), userId: user.userId },
  });
  const status = await new Promise((ok, fail) => {
    worker.once('message', ok);
    worker.once('error', fail);
  });
  assert.equal(status, 200);
  await worker.terminate();
  // The main thread's environment still settles its own calls.
  const [other] = await emu.seed([{ username: 'after-worker' }]);
  const client = new ManagementClient(clientOptions(emu));
  assert.equal((await client.resignUserBatch({ userIds: [other.userId] })).statusCode, 200);
});
