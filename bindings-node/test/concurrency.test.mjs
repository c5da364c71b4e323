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

for (const auth of ['token', 'signature']) {
  test(`${N} concurrent resignUserBatch promises (${auth})`, async () => {
    const client = new ManagementClient(clientOptions(emu, { auth }));
    const results = await Promise.all(ids.map((id) => client.resignUserBatch({ userIds: [id] })));
    assert.equal(results.length, N);
    assert.ok(results.every((r) => r.statusCode === 200 && r.data.success === true));
    const journal = await emu.journal();
    const tokenFetches = journal.filter((e) => e.path === '/api/v3/get-management-token').length;
    assert.equal(tokenFetches, auth === 'token' ? 1 : 0);
    assert.equal(journal.filter((e) => e.path === '/api/v3/resign-user-batch').length, N);
    const resigned = (await emu.users()).filter((u) => u.status === 'Resigned').length;
    assert.equal(resigned, N);
    // One pooled client: later calls reuse the pool's connections.
    const before = (await emu.stats()).connections;
    for (const id of ids.slice(0, 50)) await client.resignUserBatch({ userIds: [id] });
    const opened = (await emu.stats()).connections - before;
    assert.ok(opened <= 2, `${opened} new connections for 50 sequential calls`);
  });
}
