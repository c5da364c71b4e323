// How a native call's promise settles (src/client.rs `settle`: one tokio task per call,
// its own deferred): successes and core errors from many promises at once, a process
// that reaches its end with calls in flight, and process.exit() with calls in flight.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
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
function child(body) {
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
  return spawnSync(process.execPath, ['-e', script], { cwd: PKG, encoding: 'utf8', timeout: 60_000 });
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
