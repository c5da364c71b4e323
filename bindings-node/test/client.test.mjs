// Successful calls with both authentication schemes, and what goes on the wire.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { ManagementClient, UserIdType, VERSION } from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url)));
const emu = useEmulator();


const resignCalls = async (path = '/api/v3/resign-user-batch') =>
  (await emu.journal()).filter((e) => e.path === path);

for (const auth of ['signature', 'token']) {
  describe(`auth: ${auth}`, () => {
    test('resignUserBatch resolves to the official response shape and resigns the users', async () => {
      const [a, b] = await emu.seed([{ email: 'a@example.com' }, { email: 'b@example.com' }]);
      const client = new ManagementClient(clientOptions(emu, { auth }));
      const resp = await client.resignUserBatch({ userIds: [a.userId, b.userId], userIdType: 'user_id' });
      assert.equal(resp.statusCode, 200);
      assert.equal(typeof resp.message, 'string');
      assert.deepEqual(resp.data, { success: true });
      assert.ok(!('apiCode' in resp) || typeof resp.apiCode === 'number');
      const users = await emu.users();
      for (const id of [a.userId, b.userId]) {
        const u = users.find((x) => x.userId === id);
        assert.equal(u.status, 'Resigned');
        assert.equal(u.workStatus, 'Closed');
      }
      const [call] = await resignCalls();
      assert.equal(call.auth.toLowerCase(), auth === 'signature' ? 'signature' : 'token');
      assert.deepEqual(call.body, { userIds: [a.userId, b.userId], userIdType: 'user_id' });
    });

    test('resignUser resigns one user by email', async () => {
      const [u] = await emu.seed([{ email: 'one@example.com' }]);
      const client = new ManagementClient(clientOptions(emu, { auth }));
      const resp = await client.resignUser({ userId: 'one@example.com', userIdType: UserIdType.EMAIL });
      assert.equal(resp.statusCode, 200);
      assert.equal(resp.data.success, true);
      const after = (await emu.users()).find((x) => x.userId === u.userId);
      assert.equal(after.status, 'Resigned');
      const [call] = await resignCalls('/api/v3/resign-user');
      assert.deepEqual(call.body, { userId: 'one@example.com', userIdType: 'email' });
    });
  });
}

test('the response object: the official keys, in order, each as the server sent it', async () => {
  const [u] = await emu.seed([{ username: 'shape' }]);
  const client = new ManagementClient(clientOptions(emu));
  const resp = await client.resignUserBatch({ userIds: [u.userId] });
  assert.deepEqual(Object.keys(resp), ['statusCode', 'message', 'data', 'requestId']);
  assert.deepEqual(resp.data, { success: true });
  assert.equal(typeof resp.requestId, 'string');
  const single = await client.resignUser({ userId: u.userId });
  assert.deepEqual(Object.keys(single), ['statusCode', 'message', 'data', 'requestId']);
  // A server that sends an apiCode and no request id (hand-written, on loopback): the
  // apiCode is kept, requestId left out rather than set to undefined.
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ statusCode: 200, message: 'fine', apiCode: 0, data: { success: true } }));
    });
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  try {
    const own = new ManagementClient(clientOptions(emu, { host: `http://127.0.0.1:${server.address().port}` }));
    const bare = await own.resignUserBatch({ userIds: ['someone'] });
    assert.deepEqual(Object.entries(bare), [
      ['statusCode', 200],
      ['message', 'fine'],
      ['data', { success: true }],
      ['apiCode', 0],
    ]);
  } finally {
    server.close();
  }
});

test('an unset userIdType is left out of the body (server default user_id)', async () => {
  const [u] = await emu.seed([{ username: 'nouidtype' }]);
  const client = new ManagementClient(clientOptions(emu));
  await client.resignUserBatch({ userIds: [u.userId] });
  const [call] = await resignCalls();
  assert.deepEqual(call.body, { userIds: [u.userId] });
});

test('re-resigning an already resigned user succeeds (idempotent)', async () => {
  const [u] = await emu.seed([{ username: 'twice' }]);
  const client = new ManagementClient(clientOptions(emu));
  await client.resignUserBatch({ userIds: [u.userId] });
  const again = await client.resignUserBatch({ userIds: [u.userId] });
  assert.equal(again.statusCode, 200);
});

test('headers: sdk version from the package, lang, tenant and extra headers', async () => {
  const [u] = await emu.seed([{ username: 'headers' }]);
  const client = new ManagementClient(
    clientOptions(emu, { lang: 'en-US', tenantId: 'tenant-42', headers: { 'x-request-from': 'offboarding-job' } }),
  );
  await client.resignUserBatch({ userIds: [u.userId] });
  const [call] = await resignCalls();
  assert.equal(call.headers['x-authing-sdk-version'], `authing-resign-node:${pkg.version}`);
  assert.equal(call.headers['x-authing-lang'], 'en-US');
  assert.equal(call.headers['x-authing-tenant-id'], 'tenant-42');
  assert.equal(call.headers['x-request-from'], 'offboarding-job');
});

test('the native version equals package.json', () => {
  assert.equal(VERSION, pkg.version);
});

test('UserIdType is a frozen runtime object with the eight wire values', () => {
  assert.ok(Object.isFrozen(UserIdType));
  assert.deepEqual(Object.values(UserIdType), [
    'user_id',
    'external_id',
    'phone',
    'email',
    'username',
    'identity',
    'sync_relation',
    'custom_field',
  ]);
  assert.equal(UserIdType.SYNC_RELATION, 'sync_relation');
});

test('two clients with different hosts do not interfere (no global state)', async () => {
  const [u] = await emu.seed([{ username: 'isolated' }]);
  const broken = new ManagementClient(clientOptions(emu, { host: 'http://127.0.0.1:1', maxRetries: 0 }));
  const good = new ManagementClient(clientOptions(emu));
  await assert.rejects(broken.resignUserBatch({ userIds: [u.userId] }));
  const resp = await good.resignUserBatch({ userIds: [u.userId] });
  assert.equal(resp.statusCode, 200);
});
