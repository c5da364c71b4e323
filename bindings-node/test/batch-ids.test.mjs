// How resignUserBatch's ids cross into Rust: joined by U+0000 into one string
// (lib/validate.js), split again in src/ids.rs, with the array read one id at a time
// when an id holds a U+0000 itself. Whatever the ids, the server receives exactly the
// ids given, in order, or nothing at all with an error naming the id.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidArgumentError, ManagementClient } from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();
const ROUTE = '/api/v3/resign-user-batch';

async function sent() {
  return (await emu.journal()).filter((e) => e.path === ROUTE);
}

/** The rejection of `promise` (fails if it resolves). */
async function rejection(promise) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  assert.fail('resolved');
}

test('50 ids of every script arrive byte-identical and in order', async () => {
  await emu.settings({ unknownIds: 'ignore' });
  const client = new ManagementClient(clientOptions(emu));
  // One-byte (Latin-1) and two-byte JS strings, astral characters, combining marks,
  // ids that differ only in their last character, the longest ASCII ids.
  const pieces = ['user-', 'é', '用户', '😀', 'e\u0301', 'ß', 'x'.repeat(60), 'İ', 'Ω', 'ﬁ'];
  const userIds = Array.from({ length: 50 }, (_, i) => `${pieces[i % pieces.length]}${i}`);
  const resp = await client.resignUserBatch({ userIds, userIdType: 'username' });
  assert.equal(resp.statusCode, 200);
  const calls = await sent();
  assert.equal(calls.length, 1);
  assert.deepEqual(calls[0].body.userIds, userIds);
});

test('an id holding U+0000 is refused by its index; its parts are never sent as ids', async () => {
  // 'alice' and 'bob' exist: split at the U+0000, the one id would resign both.
  const [alice, bob, carol] = await emu.seed([{ username: 'alice' }, { username: 'bob' }, { username: 'carol' }]);
  const client = new ManagementClient(clientOptions(emu));
  for (const [userIds, index] of [
    [[`${alice.userId}\0${bob.userId}`], 0],
    [[carol.userId, `${alice.userId}\0${bob.userId}`], 1],
    [[carol.userId, alice.userId, `${bob.userId}\0`], 2],
    [['\0'], 0],
  ]) {
    const err = await rejection(client.resignUserBatch({ userIds }));
    assert.ok(err instanceof InvalidArgumentError, `${userIds}: ${err}`);
    assert.equal(err.field, 'userIds');
    assert.equal(err.index, index, err.message);
    assert.match(err.reason, /control/);
  }
  assert.equal((await sent()).length, 0);
  assert.ok((await emu.users()).every((u) => u.status !== 'Resigned'));
});

test('empty, missing and too many ids are refused as before, nothing sent', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const empty = await rejection(client.resignUserBatch({ userIds: [] }));
  assert.ok(empty instanceof InvalidArgumentError, String(empty));
  assert.equal(empty.index, null);
  const blank = await rejection(client.resignUserBatch({ userIds: ['a', ''] }));
  assert.ok(blank instanceof InvalidArgumentError, String(blank));
  assert.equal(blank.index, 1);
  const many = await rejection(client.resignUserBatch({ userIds: Array.from({ length: 51 }, (_, i) => `u${i}`) }));
  assert.ok(many instanceof InvalidArgumentError, String(many));
  assert.equal(many.index, null);
  assert.equal((await sent()).length, 0);
});

test('a lone surrogate is named by its id even next to the separator', async () => {
  const client = new ManagementClient(clientOptions(emu));
  // A surrogate pair split over two ids stays two lone surrogates once joined.
  const split = await rejection(client.resignUserBatch({ userIds: ['ok', 'a\uD83D', '\uDE00b'] }));
  assert.ok(split instanceof TypeError, String(split));
  assert.match(split.message, /`userIds\[1\]`/);
  const last = await rejection(client.resignUserBatch({ userIds: ['a', 'b', 'c\uDC00'] }));
  assert.ok(last instanceof TypeError, String(last));
  assert.match(last.message, /`userIds\[2\]`/);
  const typed = await rejection(client.resignUserBatch({ userIds: ['a', 7] }));
  assert.ok(typed instanceof TypeError, String(typed));
  assert.match(typed.message, /`userIds\[1\]`/);
  assert.equal((await sent()).length, 0);
});
