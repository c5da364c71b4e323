// 1,000 concurrent promises on one client: all succeed, and in token mode one token
// fetch serves them all.

import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ManagementClient } from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const N = 1000;
const emu = useEmulator();
let ids;
beforeEach(async () => {
  const users = await emu.seed(Array.from({ length: N }, (_, i) => ({ username: `concurrent${i}` })));
  ids = users.map((u) => u.userId);
});

/** The emulator's accepted-connection count once it stops moving (late accepts settle). */
async function settledConnections() {
  let last = (await emu.stats()).connections;
  for (let i = 0; i < 20; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const now = (await emu.stats()).connections;
    if (now === last) return now;
    last = now;
  }
  return last;
}

test('sequential calls on one client reuse one pooled connection', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const before = await settledConnections();
  for (const id of ids.slice(0, 50)) await client.resignUserBatch({ userIds: [id] });
  const opened = (await emu.stats()).connections - before;
  // The control API's own fetches may add one; the client must not open one per call.
  assert.ok(opened <= 2, `${opened} new connections for 50 sequential calls`);
});

for (const auth of ['token', 'signature']) {
  test(`${N} concurrent resignUserBatch promises (${auth})`, async () => {
    // A generous attempt timeout: on a loaded machine a retry would add journal entries.
    const client = new ManagementClient(clientOptions(emu, { auth, timeout: 60_000 }));
    const results = await Promise.all(ids.map((id) => client.resignUserBatch({ userIds: [id] })));
    assert.equal(results.length, N);
    assert.ok(results.every((r) => r.statusCode === 200 && r.data.success === true));
    const journal = await emu.journal();
    const tokenFetches = journal.filter((e) => e.path === '/api/v3/get-management-token').length;
    assert.equal(tokenFetches, auth === 'token' ? 1 : 0);
    assert.equal(journal.filter((e) => e.path === '/api/v3/resign-user-batch').length, N);
    const resigned = (await emu.users()).filter((u) => u.status === 'Resigned').length;
    assert.equal(resigned, N);
  });
}
