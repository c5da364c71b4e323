// The bulk report's JavaScript form (a plain object, keys in a fixed order, shared
// values) and `report.writeJson(path, indent?)`: the core's JSON streamed to a file,
// byte for byte the core's `to_json`, with its errors.

import { afterEach, beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, existsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { InvalidArgumentError, ManagementClient } from '../lib/index.mjs';
import { ROOT, clientOptions, useEmulator } from './helpers/emulator.mjs';

// The native report behind a JS report: its `coreJson` is the core's `to_json`.
const { compactOf } = createRequire(import.meta.url)('../lib/report.js');
const scenario = JSON.parse(readFileSync(resolve(ROOT, 'tests/data/bulk-500.json'), 'utf8'));
const emu = useEmulator();
let dir;

beforeEach(async () => {
  await emu.seed(scenario.seedUsers);
  dir = mkdtempSync(join(tmpdir(), 'authing-report-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const USER_KEYS = ['userId', 'outcome', 'verified', 'status', 'verifyNote', 'earlierRun'];
const REPORT_KEYS = ['userIdType', 'dryRun', 'users', 'totals', 'chunks', 'httpCalls', 'elapsedMs', 'verifyOnly', 'lookupCalls'];

/** The 500-id scenario: resigned, failed (unknown ids), invalid and duplicate users. */
async function scenarioReport(extra = {}) {
  const client = new ManagementClient(clientOptions(emu));
  return client.resignUsers({ userIds: scenario.input, userIdType: scenario.userIdType, ...extra });
}

test('the report is a plain object, its keys in the order they always had', async () => {
  const report = await scenarioReport();
  assert.equal(Object.getPrototypeOf(report), Object.prototype);
  assert.deepEqual(Object.keys(report), REPORT_KEYS);
  for (const u of report.users) {
    assert.equal(Object.getPrototypeOf(u), Object.prototype);
    // Always-present fields first, then `error` and `requestId` when there is one.
    const optional = ['error', 'requestId'].filter((k) => u[k] !== undefined);
    assert.deepEqual(Object.keys(u), [...USER_KEYS, ...optional], JSON.stringify(u));
    assert.equal(u.verified, null);
    assert.equal(u.status, null);
    assert.equal(u.verifyNote, null);
    assert.equal(u.earlierRun, false);
  }
  const failed = report.users.find((u) => u.outcome === 'failed');
  assert.deepEqual(Object.keys(failed.error), ['code', 'message', 'retryable', 'auth', 'statusCode', 'apiCode']);
  // What the docs promise survives a copy: spread, structuredClone and JSON keep it all.
  assert.deepStrictEqual(structuredClone(report), { ...report });
  assert.deepStrictEqual(JSON.parse(JSON.stringify(report)), JSON.parse(JSON.stringify({ ...report })));
  assert.equal(Object.keys(JSON.parse(JSON.stringify(report))).includes('writeJson'), false);
});

test('chunks name the ids as given: the sent users in input order', async () => {
  const report = await scenarioReport();
  const ids = new Set(scenario.input);
  for (const chunk of report.chunks) for (const id of chunk) assert.ok(ids.has(id));
  assert.deepEqual(
    report.chunks.flat(),
    report.users.filter((u) => u.outcome !== 'invalid' && u.outcome !== 'duplicate').map((u) => u.userId),
  );
});

test('users of a call whose answer was lost share one error object', async () => {
  await emu.fault({ route: '/api/v3/resign-user-batch', kind: 'act_then_drop', times: 0 });
  const client = new ManagementClient({ ...clientOptions(emu), maxRetries: 0 });
  const userIds = scenario.seedUsers.slice(0, 120).map((u) => u.email);
  const report = await client.resignUsers({ userIds, userIdType: 'email', concurrency: 1 });
  // The first call's answer is lost (its 50 users unknown) and that stops the job.
  const unknown = report.users.filter((u) => u.outcome === 'unknown');
  assert.equal(unknown.length, 50, JSON.stringify(report.totals));
  assert.equal(new Set(unknown.map((u) => u.error)).size, 1, 'one error object for the call');
  assert.equal(unknown[0].error.code, 'transport');
  const unsent = report.users.filter((u) => u.outcome === 'not_attempted');
  assert.equal(unsent.length, 70);
  assert.ok(new Set(unsent.map((u) => u.error)).size < unsent.length, 'not one error object per user');
});

test('the report keeps the ids it was given even if the caller changes the array', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const userIds = ['leaver000@example.com', 'leaver001@example.com'];
  const pending = client.resignUsers({ userIds, userIdType: 'email' });
  userIds[0] = 'someone-else@example.com';
  userIds.push('x@example.com');
  const report = await pending;
  assert.deepEqual(
    report.users.map((u) => u.userId),
    ['leaver000@example.com', 'leaver001@example.com'],
  );
  assert.equal(report.totals.resigned, 2);
});

/**
 * The compact JSON the core makes of the report (`BulkReport::to_json`), derived from
 * the JS report: a file that parses to it holds what the JS report holds.
 */
function coreJson(report) {
  const user = (u) => ({
    user_id: u.userId,
    outcome: u.outcome,
    ...(u.error && { error: coreError(u.error) }),
    ...(u.requestId !== undefined && { request_id: u.requestId }),
    ...(u.verified !== null && { verified: u.verified }),
    ...(u.status !== null && { status: u.status }),
    ...(u.verifyNote !== null && { verify_note: u.verifyNote }),
    ...(u.earlierRun && { earlier_run: true }),
  });
  const t = report.totals;
  const value = {
    user_id_type: report.userIdType,
    dry_run: report.dryRun,
    users: report.users.map(user),
    totals: {
      resigned: t.resigned,
      failed: t.failed,
      unknown: t.unknown,
      invalid: t.invalid,
      duplicate: t.duplicate,
      not_attempted: t.notAttempted,
    },
    chunks: report.chunks,
    http_calls: report.httpCalls,
    elapsed_ms: report.elapsedMs,
    ...(report.stoppedEarly && { stopped_early: coreError(report.stoppedEarly) }),
    verify_only: report.verifyOnly,
    lookup_calls: report.lookupCalls,
  };
  return JSON.stringify(value);
}

function coreError(e) {
  return {
    code: e.code,
    message: e.message,
    ...(e.statusCode !== undefined && { status_code: e.statusCode }),
    ...(e.apiCode !== undefined && { api_code: e.apiCode }),
    ...(e.retryable && { retryable: true }),
    ...(e.auth && { auth: true }),
  };
}

test('writeJson streams the core JSON of the report, compact and indented', async () => {
  const report = await scenarioReport({ verify: true });
  assert.ok(report.totals.invalid > 0 && report.totals.duplicate > 0 && report.totals.failed > 0);
  for (const indent of [undefined, 0, 2, 16]) {
    const file = join(dir, `report-${indent}.json`);
    assert.equal(await report.writeJson(file, indent), undefined);
    const written = readFileSync(file, 'utf8');
    // Byte for byte the core's `BulkReport::to_json`, and the same content as the JS report.
    assert.equal(written, compactOf(report).coreJson(indent), `indent ${indent}`);
    assert.equal(JSON.stringify(JSON.parse(written)), coreJson(report), `indent ${indent}`);
  }
  // A stopped job: `stopped_early` in its place.
  const stopped = await scenarioReport({ signal: AbortSignal.abort() });
  const file = join(dir, 'stopped.json');
  await stopped.writeJson(file, 2);
  assert.equal(readFileSync(file, 'utf8'), compactOf(stopped).coreJson(2));
  assert.equal(JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))), coreJson(stopped));
});

test('a written report is what resumeFrom reads: its resigned users are skipped', async () => {
  const first = await scenarioReport();
  const file = join(dir, 'first.json');
  await first.writeJson(file);
  const again = await scenarioReport({ resumeFrom: file, resumeForce: true });
  assert.equal(
    again.users.filter((u) => u.earlierRun).length,
    first.totals.resigned,
  );
});

test('a bad indent is the core InvalidArgumentError naming indent, and writes nothing', async () => {
  const report = await scenarioReport({ dryRun: true });
  for (const indent of [17, -1, 2.5, Number.NaN, Infinity]) {
    const file = join(dir, 'never.json');
    await assert.rejects(report.writeJson(file, indent), (err) => {
      assert.ok(err instanceof InvalidArgumentError, `${indent}: ${err.name} ${err.message}`);
      assert.equal(err.field, 'indent');
      return true;
    });
    assert.equal(existsSync(file), false, `indent ${indent}: no file`);
  }
  await assert.rejects(report.writeJson(join(dir, 'x.json'), '2'), TypeError);
  await assert.rejects(report.writeJson(42), TypeError);
  await assert.rejects(report.writeJson(join(dir, 'bad\uD800.json')), TypeError);
});

test('a file that cannot be opened or written rejects with an Error naming the path', async () => {
  const report = await scenarioReport({ dryRun: true });
  const missing = join(dir, 'no-such-dir', 'report.json');
  await assert.rejects(report.writeJson(missing), (err) => {
    assert.ok(err instanceof Error);
    assert.ok(err.message.includes(missing), err.message);
    assert.equal(err.path, missing);
    assert.equal(err.syscall, 'open');
    if (process.platform !== 'win32') assert.equal(err.code, 'ENOENT');
    return true;
  });
  await assert.rejects(report.writeJson(dir), (err) => {
    assert.equal(err.path, dir);
    if (process.platform !== 'win32') assert.equal(err.code, 'EISDIR');
    return true;
  });
  if (existsSync('/dev/full')) {
    // Opens, then every write fails: the error names the path and the failed write.
    await assert.rejects(report.writeJson('/dev/full'), (err) => {
      assert.equal(err.path, '/dev/full');
      assert.equal(err.syscall, 'write');
      assert.equal(err.code, 'ENOSPC');
      return true;
    });
  }
  // The report is still whole and can be written elsewhere.
  const ok = join(dir, 'ok.json');
  await report.writeJson(ok);
  assert.equal(readFileSync(ok, 'utf8'), coreJson(report));
});

test('writeJson replaces an existing file; two writes may run at once', async () => {
  const report = await scenarioReport();
  const file = join(dir, 'existing.json');
  writeFileSync(file, 'x'.repeat(1_000_000));
  await Promise.all([report.writeJson(file), report.writeJson(join(dir, 'second.json'))]);
  assert.equal(readFileSync(file, 'utf8'), coreJson(report));
  assert.equal(readFileSync(join(dir, 'second.json'), 'utf8'), coreJson(report));
});

test('the report of a CancelledError (a throwing onProgress) can be written too', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const err = await client
    .resignUsers({
      userIds: scenario.input,
      userIdType: 'email',
      concurrency: 1,
      onProgress: () => {
        throw new Error('stop');
      },
    })
    .then(
      () => assert.fail('resolved'),
      (e) => e,
    );
  const file = join(dir, 'cancelled.json');
  await err.report.writeJson(file, 1);
  assert.equal(readFileSync(file, 'utf8'), compactOf(err.report).coreJson(1));
  assert.equal(JSON.stringify(JSON.parse(readFileSync(file, 'utf8'))), coreJson(err.report));
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).stopped_early.code, 'cancelled');
});
