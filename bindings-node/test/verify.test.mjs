// resignUsers({ verify }) and ({ verifyOnly }): the core's read-back through
// get-user-batch, seen from Node; and the maxResponseBytes cap against a huge answer.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError, DecodeError, InvalidArgumentError, ManagementClient, Outcome } from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const RESIGN = '/api/v3/resign-user-batch';
const LOOKUP = '/api/v3/get-user-batch';
const emu = useEmulator();

const calls = async (path) => (await emu.journal()).filter((e) => e.path === path);
const statuses = async () => Object.fromEntries((await emu.users()).map((u) => [u.userId, u.status]));

/** Seeds users and returns their ids; `statuses` optional, one per user. */
async function seed(names, status = []) {
  const users = await emu.seed(names.map((username, i) => (status[i] ? { username, status: status[i] } : { username })));
  return users.map((u) => u.userId);
}

/** A lost answer: the emulator resigns, then drops the connection, on every call. */
async function loseAnswers() {
  await emu.fault({ route: RESIGN, kind: 'act_then_drop', times: 0 });
}

test('a lost answer is unknown without verify, never resigned nor failed', async () => {
  const ids = await seed(['lost-1', 'lost-2']);
  await loseAnswers();
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 0 }));
  const report = await client.resignUsers({ userIds: ids });
  assert.deepEqual(
    report.users.map((u) => [u.outcome, u.verified, u.status, u.verifyNote]),
    ids.map(() => [Outcome.UNKNOWN, null, null, null]),
  );
  assert.equal(report.totals.unknown, 2);
  assert.equal(report.lookupCalls, 0);
  assert.equal((await calls(LOOKUP)).length, 0);
});

test('verify: an unknown (act_then_drop) user read back Resigned becomes resigned, verified', async () => {
  const ids = await seed(['lost-a', 'lost-b', 'lost-c']);
  await loseAnswers();
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 0 }));
  const report = await client.resignUsers({ userIds: ids, verify: true });
  for (const u of report.users) {
    assert.equal(u.outcome, 'resigned', JSON.stringify(u));
    assert.equal(u.verified, true);
    assert.equal(u.status, 'Resigned');
    assert.match(u.verifyNote, /answer was lost/);
    assert.equal(u.error, undefined);
  }
  assert.equal(report.totals.resigned, 3);
  assert.equal(report.totals.unknown, 0);
  assert.equal(report.verifyOnly, false);
  assert.equal(report.lookupCalls, (await calls(LOOKUP)).length);
  assert.ok(report.lookupCalls >= 1);
  assert.ok(Object.values(await statuses()).every((s) => s === 'Resigned'));
});

test('verify: users the lookup does not return stay as they were, not verified, with the reason', async () => {
  await emu.settings({ unknownIds: 'ignore' });
  const [known] = await seed(['present']);
  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({ userIds: [known, 'no-such-user'], verify: true });
  const [seen, missing] = report.users;
  assert.deepEqual([seen.outcome, seen.verified, seen.status], ['resigned', true, 'Resigned']);
  assert.equal(missing.outcome, 'resigned', 'the server accepted it; not seen is not failed');
  assert.equal(missing.verified, false);
  assert.equal(missing.status, null);
  assert.equal(typeof missing.verifyNote, 'string');
  assert.ok(missing.verifyNote.length > 0);
});

test('verifyOnly: statuses reported, nobody resigned, the emulator unchanged', async () => {
  const ids = await seed(['active', 'gone', 'suspended'], [undefined, 'Resigned', 'Suspended']);
  const before = await statuses();
  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({ userIds: [...ids, 'no-such-user', ''], verifyOnly: true });
  assert.equal(report.verifyOnly, true);
  assert.deepEqual(
    report.users.slice(0, 3).map((u) => [u.outcome, u.verified, u.status]),
    [
      ['not_attempted', true, before[ids[0]]],
      ['not_attempted', true, 'Resigned'],
      ['not_attempted', true, 'Suspended'],
    ],
  );
  const [, , , missing, invalid] = report.users;
  assert.equal(missing.outcome, 'not_attempted');
  assert.equal(missing.verified, false);
  assert.equal(typeof missing.verifyNote, 'string');
  assert.equal(invalid.outcome, 'invalid');
  assert.equal(invalid.verified, null, 'an invalid id is never looked up');
  assert.equal(report.totals.resigned, 0);
  assert.equal(report.httpCalls, 0);
  assert.equal((await calls(RESIGN)).length, 0, 'no resignation call was made');
  assert.equal(report.lookupCalls, (await calls(LOOKUP)).length);
  assert.deepEqual(await statuses(), before, 'nobody was resigned');
});

test('verifyOnly with dryRun is the core InvalidArgumentError naming verifyOnly, before any call', async () => {
  const client = new ManagementClient(clientOptions(emu));
  await assert.rejects(client.resignUsers({ userIds: ['a'], verifyOnly: true, dryRun: true }), (err) => {
    assert.ok(err instanceof InvalidArgumentError);
    assert.equal(err.field, 'verifyOnly');
    return true;
  });
  assert.equal((await emu.journal()).length, 0);
});

test('verify and verifyOnly must be booleans (TypeError naming the field)', async () => {
  const client = new ManagementClient(clientOptions(emu));
  for (const field of ['verify', 'verifyOnly']) {
    await assert.rejects(client.resignUsers({ userIds: ['a'], [field]: 'yes' }), (err) => {
      assert.ok(err instanceof TypeError);
      assert.match(err.message, new RegExp(`\`${field}\``));
      return true;
    });
  }
});

test('maxResponseBytes: a huge_body answer is a DecodeError naming the cap', async () => {
  const [id] = await seed(['huge']);
  await emu.fault({ route: RESIGN, kind: 'huge_body', sizeBytes: 64 * 1024 * 1024, times: 0 });
  const client = new ManagementClient(clientOptions(emu, { maxResponseBytes: 4096, maxRetries: 0 }));
  await assert.rejects(client.resignUserBatch({ userIds: [id] }), (err) => {
    assert.ok(err instanceof DecodeError, String(err));
    assert.equal(err.code, 'decode');
    assert.match(err.reason, /4096-byte cap/);
    assert.ok(err.snippet.length < 1024, 'the snippet stays short');
    return true;
  });
  // In bulk the same answer leaves the user unknown: the server may have acted.
  const report = await client.resignUsers({ userIds: [id] });
  assert.equal(report.users[0].outcome, 'unknown');
  assert.equal(report.users[0].error.code, 'decode');
  assert.match(report.users[0].error.message, /4096-byte cap/);
});

test('maxResponseBytes: the default cap (1 MiB) holds too', async () => {
  const [id] = await seed(['huge-default']);
  await emu.fault({ route: RESIGN, kind: 'huge_body', sizeBytes: 8 * 1024 * 1024, times: 1 });
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 0 }));
  await assert.rejects(client.resignUserBatch({ userIds: [id] }), (err) => {
    assert.ok(err instanceof DecodeError, String(err));
    assert.match(err.reason, new RegExp(`${1024 * 1024}-byte cap`));
    return true;
  });
});

test('maxResponseBytes out of the core range or not a whole number: ConfigError naming it', () => {
  for (const bad of [0, 10, 1023, 2 ** 31, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(
      () => new ManagementClient(clientOptions(emu, { maxResponseBytes: bad })),
      (err) => {
        assert.ok(err instanceof ConfigError, `${bad}: ${err}`);
        assert.equal(err.option, 'maxResponseBytes');
        return true;
      },
    );
  }
  assert.throws(() => new ManagementClient(clientOptions(emu, { maxResponseBytes: '4096' })), TypeError);
  for (const ok of [1024, 2 ** 30]) new ManagementClient(clientOptions(emu, { maxResponseBytes: ok }));
});
