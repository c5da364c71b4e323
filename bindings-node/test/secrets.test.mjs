// The access key secret never shows: not in util.inspect, console output,
// JSON.stringify, own properties, or any error's message or stack.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { ManagementClient } from '../lib/index.mjs';
import { ACCESS_KEY_SECRET, clientOptions, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();

const SECRET = 'sEcReT-value-that-must-never-leak';
const assertClean = (text, where) => {
  assert.ok(!text.includes(SECRET), `the secret leaked into ${where}: ${text}`);
  assert.ok(!text.includes(ACCESS_KEY_SECRET), `the emulator secret leaked into ${where}`);
};
const everything = (err) => `${err.message}\n${err.stack}\n${inspect(err, { depth: 5, showHidden: true })}\n${JSON.stringify(err)}`;

test('inspect, JSON.stringify, String and own properties of the client', () => {
  for (const auth of ['signature', 'token']) {
    const client = new ManagementClient(clientOptions(emu, { accessKeySecret: SECRET, auth }));
    assertClean(inspect(client, { depth: 10, showHidden: true }), 'util.inspect');
    assertClean(JSON.stringify(client), 'JSON.stringify');
    assertClean(String(client), 'String()');
    assertClean(JSON.stringify(Object.getOwnPropertyNames(client)), 'own property names');
    assert.deepEqual(JSON.parse(JSON.stringify(client)), {
      accessKeyId: 'emulator-access-key-id',
      host: emu.url,
      auth,
    });
    assert.match(inspect(client), /^ManagementClient \{/);
  }
});

test('errors of failed calls never carry the secret', async () => {
  const withWrong = new ManagementClient(clientOptions(emu, { accessKeySecret: SECRET }));
  await assert.rejects(withWrong.resignUserBatch({ userIds: ['000000000000000000000000'] }), (err) => {
    assertClean(everything(err), 'a signature auth error');
    return true;
  });
  const tokenWrong = new ManagementClient(clientOptions(emu, { accessKeySecret: SECRET, auth: 'token' }));
  await assert.rejects(tokenWrong.resignUserBatch({ userIds: ['000000000000000000000000'] }), (err) => {
    assertClean(everything(err), 'a token auth error');
    return true;
  });
  const right = new ManagementClient(clientOptions(emu));
  await assert.rejects(right.resignUserBatch({ userIds: ['000000000000000000000000'] }), (err) => {
    assertClean(everything(err), 'an api error');
    return true;
  });
  const unreachable = new ManagementClient(
    clientOptions(emu, { accessKeySecret: SECRET, host: 'http://127.0.0.1:1', maxRetries: 0 }),
  );
  await assert.rejects(unreachable.resignUserBatch({ userIds: ['x'] }), (err) => {
    assertClean(everything(err), 'a transport error');
    return true;
  });
});

test('config errors never carry the secret', () => {
  for (const extra of [{ host: 'http://example.com' }, { timeout: -1 }, { auth: 'nope' }, { proxy: 'bad proxy' }]) {
    assert.throws(
      () => new ManagementClient({ ...clientOptions(emu, { accessKeySecret: SECRET }), ...extra }),
      (err) => {
        assertClean(everything(err), `config error for ${JSON.stringify(extra)}`);
        return true;
      },
    );
  }
});

test('the bulk report never carries the secret', async () => {
  const client = new ManagementClient(clientOptions(emu, { accessKeySecret: SECRET }));
  const report = await client.resignUsers({ userIds: ['a', 'b', ''] });
  assertClean(JSON.stringify(report), 'the bulk report');
  assert.equal(report.stoppedEarly.code, 'api_error');
});
