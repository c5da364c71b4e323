// Hostile ids through the Node binding (fast-check): arbitrary Unicode built from the
// pieces in tests/data/hostile-ids.json plus lone surrogates, sent to the emulator.
// For every id: refused before anything is sent, with a typed error naming its index
// (TypeError for a lone surrogate, InvalidArgumentError for a rule of the core), or
// received byte-identical under a signature the emulator verified. Never altered.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { InvalidArgumentError, ManagementClient } from '../lib/index.mjs';
import { ROOT, clientOptions, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();
const ROUTE = '/api/v3/resign-user-batch';
const data = JSON.parse(readFileSync(join(ROOT, 'tests/data/hostile-ids.json'), 'utf8'));
const LONE = data.lone_surrogates.map((hex) => String.fromCharCode(parseInt(hex, 16)));
const PIECES = [...Object.values(data.pieces).flat(), ...LONE];
const HAS_LONE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const TYPES = ['user_id', 'external_id', 'phone', 'email', 'username', 'identity', 'sync_relation', 'custom_field'];

const hostileId = fc
  .tuple(fc.array(fc.constantFrom(...PIECES), { maxLength: data.max_pieces }), fc.nat(19))
  .map(([pieces, long]) => {
    const id = pieces.join('');
    return long === 0 && id ? id.repeat(Math.ceil(data.long_repeat / id.length) + 1) : id;
  });

/** How often each fate was seen, so a run that never sends (or never refuses) fails. */
const seen = { lone: 0, invalid: 0, received: 0 };

/** Sends one batch and checks each id's fate. */
async function check(client, userIds, userIdType) {
  await emu.reset();
  await emu.settings({ unknownIds: 'ignore' });
  let error;
  try {
    await client.resignUserBatch({ userIds, userIdType });
  } catch (err) {
    error = err;
  }
  const sent = (await emu.journal()).filter((e) => e.path === ROUTE);
  const lone = userIds.findIndex((id) => HAS_LONE.test(id));
  if (lone >= 0) {
    assert.ok(error instanceof TypeError, `lone surrogate at ${lone}: ${error}`);
    assert.ok(error.message.includes(`\`userIds[${lone}]\``), error.message);
    assert.equal(sent.length, 0, 'refused, yet sent');
    seen.lone += 1;
    return;
  }
  if (error) {
    seen.invalid += 1;
    assert.ok(error instanceof InvalidArgumentError, `${error?.name}: ${error?.message}`);
    assert.equal(sent.length, 0, 'refused, yet sent');
    if (userIds.length === 0 || userIds.length > data.batch_max) {
      assert.equal(error.index, null);
      return;
    }
    assert.equal(error.field, 'userIds');
    // The dry-run plan judges every id on its own without sending anything: the
    // first one it finds invalid is the one the error names.
    const plan = await client.resignUsers({ userIds, userIdType, dryRun: true });
    const firstInvalid = plan.users.findIndex((u) => u.outcome === 'invalid');
    assert.equal(error.index, firstInvalid, error.message);
    return;
  }
  assert.equal(sent.length, 1);
  assert.equal(sent[0].auth, 'signature');
  assert.equal(sent[0].statusCode, 200, 'the emulator verified the signature and took the batch');
  assert.deepEqual(sent[0].body.userIds, userIds, 'received byte-identical, in order');
  seen.received += 1;
}

test('hostile batches: refused by index before sending, or received unaltered (fast-check)', async () => {
  const client = new ManagementClient(clientOptions(emu));
  await fc.assert(
    fc.asyncProperty(fc.array(hostileId, { maxLength: data.batch_max + 2 }), fc.constantFrom(...TYPES), (ids, type) =>
      check(client, ids, type),
    ),
    { numRuns: 150, seed: Number(process.env.HOSTILE_SEED ?? 20261201) },
  );
});

test('hostile single ids, one per batch (fast-check)', async () => {
  const client = new ManagementClient(clientOptions(emu));
  await fc.assert(
    fc.asyncProperty(hostileId, (id) => check(client, [id], 'username')),
    { numRuns: 150, seed: Number(process.env.HOSTILE_SEED ?? 20261201) + 1 },
  );
  // Both tests together: every fate occurred (counts are printed for the record).
  console.log(`hostile ids: ${JSON.stringify(seen)}`);
  for (const [fate, n] of Object.entries(seen)) assert.ok(n > 0, `no batch was ${fate}`);
});
