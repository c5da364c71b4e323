// resignUsers({ journal, resumeFrom }): a process killed with SIGKILL mid-job resumes
// from its journal without sending a recorded user again; another place is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { JournalError, ManagementClient, ResumeMismatchError } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, clientOptions, useEmulator } from './helpers/emulator.mjs';
import { createRequire } from 'node:module';

const native = createRequire(import.meta.url)('../native.js');

const ROUTE = '/api/v3/resign-user-batch';
const emu = useEmulator();
const ids = (tag, n) => Array.from({ length: n }, (_, i) => `${tag}${i}@example.com`);
const sentIds = async () =>
  (await emu.journal()).filter((e) => e.path === ROUTE).flatMap((e) => e.body.userIds);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Users the journal records as resigned (complete lines only, as the core reads it). */
function recordedResigned(path) {
  const done = new Set();
  if (!existsSync(path)) return done;
  let calls = new Map();
  for (const line of readFileSync(path, 'utf8').split('\n').slice(0, -1)) {
    const rec = JSON.parse(line);
    if (rec.rec === 'header') calls = new Map();
    else if (rec.rec === 'sent') calls.set(rec.call, rec.user_ids);
    else if (rec.rec === 'result' && rec.outcome === 'resigned') calls.get(rec.call).forEach((id) => done.add(id));
    else if (rec.rec === 'earlier') rec.users.forEach((u) => done.add(u.user_id));
  }
  return done;
}

const CHILD = `
const { ManagementClient } = require(process.argv[1]);
const [url, key, secret, journal, ...userIds] = process.argv.slice(2);
new ManagementClient({ accessKeyId: key, accessKeySecret: secret, host: url })
  .resignUsers({ userIds, userIdType: 'email', chunkSize: 5, concurrency: 2, journal });
`;

test('SIGKILL mid-job, then resumeFrom the journal', async () => {
  const users = ids('nkill', 80);
  await emu.seed(users.map((email) => ({ email })));
  await emu.fault({ route: ROUTE, kind: 'delay', delayMs: 60, times: 0 });
  const dir = mkdtempSync(join(tmpdir(), 'authing-journal-'));
  const journal = join(dir, 'job.journal');
  const entry = fileURLToPath(new URL('../lib/index.js', import.meta.url));
  const child = spawn(
    process.execPath,
    ['-e', CHILD, entry, emu.url, ACCESS_KEY_ID, ACCESS_KEY_SECRET, journal, ...users],
    { stdio: 'inherit' },
  );
  const exited = new Promise((r) => child.on('exit', r));
  const start = Date.now();
  while ((await sentIds()).length < 30) {
    assert.ok(Date.now() - start < 60_000, 'the child sent nothing');
    await sleep(10);
  }
  child.kill('SIGKILL');
  await exited;
  const before = recordedResigned(journal);
  assert.ok(before.size > 0, 'some users recorded before the kill');
  await emu.control('DELETE', 'faults');
  const sentBefore = (await sentIds()).length;

  const client = new ManagementClient(clientOptions(emu));
  const report = await client.resignUsers({ userIds: users, userIdType: 'email', journal, resumeFrom: journal });
  assert.equal(report.totals.resigned, 80);
  const again = (await sentIds()).slice(sentBefore).filter((id) => before.has(id));
  assert.deepEqual(again, [], 'no recorded user is sent again');
  assert.deepEqual(
    new Set(report.users.filter((u) => u.earlierRun).map((u) => u.userId)),
    before,
  );
  const resigned = (await emu.users()).filter((u) => u.status === 'Resigned').map((u) => u.email);
  assert.deepEqual(new Set(resigned), new Set(users));
});

test('another tenant is refused with what differs; an existing journal is never overwritten', async () => {
  const users = ids('nplace', 3);
  await emu.seed(users.map((email) => ({ email })));
  const dir = mkdtempSync(join(tmpdir(), 'authing-journal-'));
  const journal = join(dir, 'j.journal');
  await new ManagementClient(clientOptions(emu)).resignUsers({ userIds: users, userIdType: 'email', journal });
  const other = new ManagementClient(clientOptions(emu, { tenantId: 't1' }));
  await assert.rejects(other.resignUsers({ userIds: users, userIdType: 'email', resumeFrom: journal }), (err) => {
    assert.ok(err instanceof ResumeMismatchError, String(err));
    assert.equal(err.code, 'resume_mismatch');
    // The option's name as passed (it was the journal's `tenant_id` before 0.2).
    assert.deepEqual([err.field, err.earlier, err.now], ['tenantId', '(none)', 't1']);
    assert.match(err.message, /it records tenantId \(none\); this job has tenantId t1/);
    return true;
  });
  await assert.rejects(
    other.resignUsers({ userIds: users, userIdType: 'username', resumeFrom: journal, resumeForce: true }),
    (err) => err instanceof ResumeMismatchError && err.field === 'userIdType' && err.now === 'username',
  );
  const forced = await other.resignUsers({ userIds: users, userIdType: 'email', resumeFrom: journal, resumeForce: true });
  assert.ok(forced.users.every((u) => u.earlierRun));
  await assert.rejects(
    new ManagementClient(clientOptions(emu)).resignUsers({ userIds: users, userIdType: 'email', journal }),
    (err) => err instanceof JournalError && err.code === 'journal' && err.reason.includes('never overwritten'),
  );
});

test('ResumeField in index.d.ts names exactly the fields the native side reports', () => {
  const dts = readFileSync(new URL('../lib/index.d.ts', import.meta.url), 'utf8');
  const union = /export type ResumeField = ([^;]+);/.exec(dts)?.[1] ?? '';
  const declared = [...union.matchAll(/'(\w+)'/g)].map((m) => m[1]);
  assert.deepEqual(declared, native.resumeFields());
});
