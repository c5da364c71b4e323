// resignUsers: the shared 500-id scenario (invalid, duplicate and unknown ids) with
// exact outcomes, progress, dry run, AbortSignal and a throwing onProgress.

import { beforeEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CancelledError, InvalidArgumentError, ManagementClient } from '../lib/index.mjs';
import { ROOT, clientOptions, useEmulator } from './helpers/emulator.mjs';

const scenario = JSON.parse(readFileSync(resolve(ROOT, 'tests/data/bulk-500.json'), 'utf8'));
const ROUTE = '/api/v3/resign-user-batch';
const emu = useEmulator();

beforeEach(async () => {
  await emu.seed(scenario.seedUsers);
});

const batchCalls = async () => (await emu.journal()).filter((e) => e.path === ROUTE);

test('500 ids with invalid, duplicate and unknown ones: exact outcome per user', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const events = [];
  const report = await client.resignUsers({
    userIds: scenario.input,
    userIdType: scenario.userIdType,
    onProgress: (p) => events.push(p),
  });
  assert.equal(report.userIdType, 'email');
  assert.equal(report.dryRun, false);
  assert.equal(report.users.length, 500);
  report.users.forEach((u, i) => {
    assert.equal(u.userId, scenario.input[i], `entry ${i} keeps input order`);
    assert.equal(u.outcome, scenario.expected[i], `entry ${i} (${JSON.stringify(u.userId).slice(0, 40)})`);
    if (u.outcome === 'failed') {
      assert.equal(u.error.code, 'api_error');
      assert.equal(u.error.statusCode, scenario.failedStatusCode);
      assert.equal(u.error.apiCode, scenario.failedApiCode);
      assert.equal(typeof u.requestId, 'string');
    }
    if (u.outcome === 'invalid') assert.equal(u.error.code, 'invalid_argument');
    if (u.outcome === 'resigned') assert.equal(u.error, undefined);
  });
  assert.deepEqual(report.totals, {
    resigned: scenario.expectedTotals.resigned,
    failed: scenario.expectedTotals.failed,
    unknown: scenario.expectedTotals.unknown,
    invalid: scenario.expectedTotals.invalid,
    duplicate: scenario.expectedTotals.duplicate,
    notAttempted: scenario.expectedTotals.not_attempted,
  });
  assert.equal(report.stoppedEarly, undefined);
  assert.equal(report.httpCalls, (await batchCalls()).length);
  assert.ok(report.chunks.every((c) => c.length <= 50));
  // The emulator agrees: every known user is resigned.
  const resigned = (await emu.users()).filter((u) => u.status === 'Resigned');
  assert.equal(resigned.length, scenario.expectedTotals.resigned);

  // Progress: delivered before the promise resolved, monotonic, ending at the total.
  assert.ok(events.length >= report.chunks.length, `${events.length} progress events`);
  for (let i = 1; i < events.length; i += 1) assert.ok(events[i].done >= events[i - 1].done);
  assert.equal(events.at(-1).done, 500);
  assert.equal(events.at(-1).total, 500);
  assert.equal(events.at(-1).totals.resigned, scenario.expectedTotals.resigned);
});

test('dry run: the plan, nothing sent', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({ userIds: scenario.input, userIdType: 'email', dryRun: true, chunkSize: 20 });
  assert.equal(report.dryRun, true);
  assert.equal(report.httpCalls, 0);
  assert.ok(report.chunks.every((c) => c.length <= 20));
  assert.equal(report.totals.resigned, 0);
  assert.equal((await batchCalls()).length, 0);
});

test('an already aborted signal: nothing sent, every valid user not_attempted', async () => {
  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({
    userIds: scenario.input,
    userIdType: 'email',
    signal: AbortSignal.abort(),
  });
  assert.equal(report.stoppedEarly.code, 'cancelled');
  assert.equal(report.totals.resigned, 0);
  assert.equal(report.totals.notAttempted, 480);
  assert.equal((await batchCalls()).length, 0);
});

test('aborting mid-job stops before the next chunk; the report is honest', async () => {
  // Slow chunks so the abort lands while the job runs.
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 150, times: 0 });
  const client = new ManagementClient(clientOptions(emu));
  const controller = new AbortController();
  const report = await client.resignUsers({
    userIds: scenario.input,
    userIdType: 'email',
    concurrency: 1,
    onProgress: (p) => {
      if (p.done > 0) controller.abort();
    },
    signal: controller.signal,
  });
  assert.equal(report.stoppedEarly.code, 'cancelled');
  assert.ok(report.totals.resigned >= 1, 'the first chunk went through');
  assert.ok(report.totals.notAttempted > 0, 'later chunks were not sent');
  const resignedInEmulator = (await emu.users()).filter((u) => u.status === 'Resigned').length;
  assert.equal(resignedInEmulator, report.totals.resigned, 'the report matches the server');
  for (const u of report.users.filter((x) => x.outcome === 'not_attempted')) {
    assert.equal(u.error.code, 'cancelled');
  }
});

test('an exception thrown in onProgress cancels the job and is the CancelledError cause', async () => {
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 150, times: 0 });
  const client = new ManagementClient(clientOptions(emu));
  const boom = new Error('progress handler failed');
  let calls = 0;
  await assert.rejects(
    client.resignUsers({
      userIds: scenario.input,
      userIdType: 'email',
      concurrency: 1,
      onProgress: () => {
        calls += 1;
        throw boom;
      },
    }),
    (err) => {
      assert.ok(err instanceof CancelledError);
      assert.equal(err.code, 'cancelled');
      assert.equal(err.cause, boom);
      assert.equal(err.report.stoppedEarly.code, 'cancelled');
      assert.ok(err.report.totals.notAttempted > 0);
      return true;
    },
  );
  assert.equal(calls, 1, 'the callback is not called again after it threw');
});

test('an async onProgress that rejects cancels the job instead of crashing the process', async () => {
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 150, times: 0 });
  const client = new ManagementClient(clientOptions(emu));
  const boom = new Error('async progress handler failed');
  const unhandled = [];
  const onUnhandled = (reason) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  let calls = 0;
  try {
    await assert.rejects(
      client.resignUsers({
        userIds: scenario.input,
        userIdType: 'email',
        concurrency: 1,
        onProgress: async () => {
          calls += 1;
          await new Promise((resolve) => setTimeout(resolve, 10));
          throw boom;
        },
      }),
      (err) => {
        assert.ok(err instanceof CancelledError, `${err?.name}: ${err?.message}`);
        assert.equal(err.cause, boom);
        assert.equal(err.report.stoppedEarly.code, 'cancelled');
        assert.ok(err.report.totals.notAttempted > 0, 'later chunks were not sent');
        return true;
      },
    );
    // Give a stray rejection the chance to surface before looking.
    await new Promise((resolve) => setTimeout(resolve, 50));
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
  assert.equal(calls, 1, 'the callback is not called again after its promise rejected');
});

test('resignUsers settles only after the promises onProgress returned have settled', async () => {
  const client = new ManagementClient(clientOptions(emu));
  let finished = 0;
  let started = 0;
  const report = await client.resignUsers({
    userIds: scenario.input,
    userIdType: 'email',
    onProgress: async () => {
      started += 1;
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished += 1;
    },
  });
  assert.ok(started > 0);
  assert.equal(finished, started, 'every async handler finished before the report was returned');
  assert.equal(report.stoppedEarly, undefined);
});

test('bad bulk options are InvalidArgumentErrors naming the option', async () => {
  const client = new ManagementClient(clientOptions(emu));
  for (const [extra, field] of [
    [{ chunkSize: 0 }, 'chunkSize'],
    [{ chunkSize: 51 }, 'chunkSize'],
    [{ chunkSize: -3 }, 'chunkSize'],
    [{ concurrency: 0 }, 'concurrency'],
    [{ concurrency: 2.5 }, 'concurrency'],
    [{ deadline: -1 }, 'deadline'],
    [{ userIdType: 'nickname' }, 'userIdType'],
  ]) {
    await assert.rejects(client.resignUsers({ userIds: ['a@example.com'], ...extra }), (err) => {
      assert.ok(err instanceof InvalidArgumentError, `${JSON.stringify(extra)}: ${err.name} ${err.message}`);
      assert.equal(err.field, field);
      return true;
    });
  }
  assert.equal((await batchCalls()).length, 0);
});

test('a deadline stops the job: unstarted chunks are not_attempted', async () => {
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 200, times: 0 });
  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({ userIds: scenario.input, userIdType: 'email', concurrency: 1, deadline: 300 });
  assert.ok(report.stoppedEarly, 'stopped early');
  assert.ok(report.totals.notAttempted > 0);
  assert.equal(
    report.totals.resigned + report.totals.failed + report.totals.unknown + report.totals.invalid + report.totals.duplicate + report.totals.notAttempted,
    500,
  );
});
