// Compatibility with the official authing-node-sdk 4.0.1: the same calls through both
// clients against the emulator give the same response shape; where the official SDK
// resolves with a failure envelope, ours throws an ApiError with the same fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { ApiError, ManagementClient } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, clientOptions, useEmulator } from './helpers/emulator.mjs';

const require = createRequire(import.meta.url);
const official = require('authing-node-sdk');

const emu = useEmulator();

/** The shape of a value: key names and JS types, recursively (values ignored). */
function shape(value) {
  if (Array.isArray(value)) return value.map(shape);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, shape(value[k])]),
    );
  }
  return typeof value;
}

const clients = () => {
  // The same option object works for both: migrating is an import change.
  const options = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, host: emu.url, timeout: 5000 };
  return { theirs: new official.ManagementClient({ ...options }), ours: new ManagementClient({ ...options }) };
};

test('resignUserBatch: same response shape and values on success', async () => {
  const users = await emu.seed([{ email: 'c1@example.com' }, { email: 'c2@example.com' }]);
  const { theirs, ours } = clients();
  const request = { userIds: users.map((u) => u.email), userIdType: 'email' };
  const a = await theirs.resignUserBatch(request);
  const b = await ours.resignUserBatch(request);
  assert.deepEqual(shape(b), shape(a));
  assert.equal(b.statusCode, a.statusCode);
  assert.equal(b.message, a.message);
  assert.deepEqual(b.data, a.data);
  // Both requests reached the emulator as the same body.
  const bodies = (await emu.journal()).filter((e) => e.path === '/api/v3/resign-user-batch').map((e) => e.body);
  assert.deepEqual(bodies[0], bodies[1]);
});

test('resignUser: same response shape on success', async () => {
  const [u] = await emu.seed([{ username: 'compat-single' }]);
  const { theirs, ours } = clients();
  const a = await theirs.resignUser({ userId: u.userId });
  const b = await ours.resignUser({ userId: u.userId });
  assert.deepEqual(shape(b), shape(a));
  assert.deepEqual(b.data, a.data);
});

test('a failure envelope: theirs resolves with it, ours throws ApiError with the same fields', async () => {
  const { theirs, ours } = clients();
  const request = { userIds: ['ghost@example.com'], userIdType: 'email' };
  const a = await theirs.resignUserBatch(request);
  assert.notEqual(a.statusCode, 200);
  await assert.rejects(ours.resignUserBatch(request), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.statusCode, a.statusCode);
    assert.equal(err.apiCode, a.apiCode ?? null);
    assert.equal(err.apiMessage, a.message);
    assert.equal(typeof err.requestId, typeof a.requestId);
    return true;
  });
});

test('the official option names are accepted as they are', () => {
  const options = {
    ...clientOptions(emu),
    timeout: 3000,
    lang: 'en-US',
    tenantId: 't-1',
    rejectUnauthorized: true,
    socketUri: 'wss://openevent.authing.cn',
    retryTimes: 5,
  };
  assert.doesNotThrow(() => new official.ManagementClient({ ...options }));
  assert.doesNotThrow(() => new ManagementClient({ ...options }));
});
