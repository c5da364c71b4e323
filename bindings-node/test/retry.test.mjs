// Retries through the emulator's faults: 5xx pages, envelope 429/503, dropped
// connections, Retry-After; and what is thrown when the retry budget runs out.

import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { ApiError, DecodeError, ManagementClient } from '../lib/index.mjs';
import { clientOptions, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();
let userId;
beforeEach(async () => {
  [{ userId }] = await emu.seed([{ username: 'retry-target' }]);
});

const ROUTE = '/api/v3/resign-user-batch';
const attempts = async () => (await emu.journal()).filter((e) => e.path === ROUTE);
// Small backoff so the suite stays fast; the policy itself is the core's.
const fast = { retryBaseDelay: 10, retryMaxDelay: 200 };

for (const [name, spec] of [
  ['HTTP 502 HTML page', { kind: 'http_status', status: 502 }],
  ['HTTP 503', { kind: 'http_status', status: 503 }],
  ['envelope statusCode 503', { kind: 'envelope_status', status: 503 }],
  ['envelope statusCode 429', { kind: 'envelope_status', status: 429 }],
  ['a dropped connection', { kind: 'drop' }],
]) {
  test(`${name} twice, then success: resolved after 3 attempts`, async () => {
    await emu.fault({ route: ROUTE, ...spec, times: 2 });
    const client = new ManagementClient(clientOptions(emu, fast));
    const resp = await client.resignUserBatch({ userIds: [userId] });
    assert.equal(resp.statusCode, 200);
    const calls = await attempts();
    assert.equal(calls.length, 3);
    assert.deepEqual(
      calls.map((c) => Boolean(c.fault)),
      [true, true, false],
    );
  });
}

test('Retry-After is honoured', async () => {
  await emu.fault({ route: ROUTE, kind: 'envelope_status', status: 429, retryAfter: '1', times: 1 });
  const client = new ManagementClient(clientOptions(emu, { retryBaseDelay: 1, retryMaxDelay: 5000 }));
  const started = performance.now();
  await client.resignUserBatch({ userIds: [userId] });
  const waited = performance.now() - started;
  assert.ok(waited >= 900, `waited ${waited.toFixed(0)} ms for Retry-After: 1`);
  assert.equal((await attempts()).length, 2);
});

test('a rate limit (emulator 429) is retried until it clears', async () => {
  await emu.settings({ rateLimit: { rps: 1, retryAfterSecs: 1 } });
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 5, retryMaxDelay: 2000 }));
  const results = await Promise.all([1, 2, 3].map(() => client.resignUserBatch({ userIds: [userId] })));
  assert.ok(results.every((r) => r.statusCode === 200));
  const throttled = (await attempts()).filter((c) => c.statusCode === 429);
  assert.ok(throttled.length >= 1, 'some attempts were throttled and retried');
});

test('past the retry budget: the last failure is thrown (ApiError 503, retryable)', async () => {
  await emu.fault({ route: ROUTE, kind: 'envelope_status', status: 503, times: 0 });
  const client = new ManagementClient(clientOptions(emu, { ...fast, maxRetries: 2 }));
  await assert.rejects(client.resignUserBatch({ userIds: [userId] }), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.statusCode, 503);
    assert.equal(err.isRetryable(), true);
    return true;
  });
  assert.equal((await attempts()).length, 3);
});

test('an HTML 502 past the retry budget is a DecodeError with the HTTP status', async () => {
  await emu.fault({ route: ROUTE, kind: 'http_status', status: 502, times: 0 });
  const client = new ManagementClient(clientOptions(emu, { ...fast, maxRetries: 1 }));
  await assert.rejects(client.resignUserBatch({ userIds: [userId] }), (err) => {
    assert.ok(err instanceof DecodeError, err.name);
    assert.equal(err.httpStatus, 502);
    assert.ok(err.snippet.includes('502 Bad Gateway'));
    assert.equal(err.isRetryable(), true);
    return true;
  });
  assert.equal((await attempts()).length, 2);
});

test('maxRetries 0 disables retries', async () => {
  await emu.fault({ route: ROUTE, kind: 'envelope_status', status: 503, times: 1 });
  const client = new ManagementClient(clientOptions(emu, { maxRetries: 0 }));
  await assert.rejects(client.resignUserBatch({ userIds: [userId] }), ApiError);
  assert.equal((await attempts()).length, 1);
});
