// The fault matrix (tests/data/fault-matrix.json) through the Node binding: the same
// rows, set-ups and expected results as the Rust, Python and Kotlin runners.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { get } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuthingError, ManagementClient } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, ROOT, startEmulator, useEmulator } from './helpers/emulator.mjs';

const emu = useEmulator();
const matrix = JSON.parse(readFileSync(join(ROOT, 'tests/data/fault-matrix.json'), 'utf8'));
const rows = matrix.rows.filter((r) => !r.notExpressible?.node);
const BATCH = '/api/v3/resign-user-batch';
const TOKEN = '/api/v3/get-management-token';
const camel = (s) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());

// A second emulator serving HTTPS with a self-signed certificate nobody trusts.
let https;
let certDir;
before(async () => {
  certDir = mkdtempSync(join(tmpdir(), 'authing-tls-'));
  const [cert, key] = [join(certDir, 'cert.pem'), join(certDir, 'key.pem')];
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert],
    { stdio: 'ignore' });
  https = await startEmulator(['--tls-cert', cert, '--tls-key', key]);
});
after(async () => {
  await https?.stop();
  rmSync(certDir, { recursive: true, force: true });
});

/** GET on the HTTPS emulator's control API, certificate not checked (test set-up only). */
function unverified(url) {
  return new Promise((ok, fail) => {
    get(url, { rejectUnauthorized: false, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => ok(JSON.parse(body)));
    }).on('error', fail);
  });
}

function faultBody(fault) {
  const { retryAfterInSecsAsDate: secs, ...rest } = fault;
  if (secs !== undefined) rest.retryAfter = new Date(Date.now() + secs * 1000).toUTCString();
  return rest;
}

function within(expect, key, actual, name) {
  if (!expect[key]) return;
  const [lo, hi] = expect[key];
  assert.ok(actual >= lo && actual <= hi, `${name}: ${key} = ${actual}, expected ${lo}..${hi}`);
}

for (const row of rows) {
  test(`fault matrix: ${row.name}`, async () => {
    const { name, call, expect } = row;
    const tls = call.tls === 'untrusted';
    const url = tls ? https.url : emu.url;
    await emu.reset();
    if (row.settings) await emu.settings(row.settings);
    const started = Date.now();
    for (const fault of row.faults ?? []) await emu.fault(faultBody(fault));
    const ids = Array.from({ length: call.users }, (_, i) => `m${i}@example.com`);
    if (ids.length && !tls) await emu.seed(ids.map((email) => ({ email })));
    for (let i = 0; i < call.unknown; i += 1) ids.push(`ghost${i}@example.com`);
    const connectionsBefore = tls ? (await unverified(`${url}/__emulator/stats`)).connections : 0;
    const client = new ManagementClient({
      accessKeyId: ACCESS_KEY_ID,
      accessKeySecret: ACCESS_KEY_SECRET,
      host: url,
      auth: call.auth,
      timeout: call.timeoutMs,
      maxRetries: call.maxRetries,
      retryBaseDelay: 10,
      retryMaxDelay: 5000,
    });
    let error = null;
    let report = null;
    if (call.kind === 'batch') {
      try {
        await client.resignUserBatch({ userIds: ids, userIdType: 'email' });
      } catch (err) {
        assert.ok(err instanceof AuthingError, String(err));
        error = err;
      }
    } else {
      let fired = false;
      const patch = row.afterFirstChunk;
      report = await client.resignUsers({
        userIds: ids,
        userIdType: 'email',
        chunkSize: call.chunkSize,
        concurrency: call.concurrency,
        onProgress: patch
          ? () => {
              if (fired) return undefined;
              fired = true;
              return emu.settings(patch);
            }
          : undefined,
      });
    }
    const elapsed = Date.now() - started;
    if (tls) {
      // Each control GET opens its own connection: the second one counts itself.
      const connections = (await unverified(`${url}/__emulator/stats`)).connections - connectionsBefore - 1;
      within(expect, 'connections', connections, name);
    }
    const journal = tls ? await unverified(`${url}/__emulator/journal`) : await emu.journal();
    within(expect, 'httpCalls', journal.filter((e) => e.path === BATCH).length, name);
    within(expect, 'tokenCalls', journal.filter((e) => e.path === TOKEN).length, name);
    if (expect.minElapsedMs !== undefined) assert.ok(elapsed >= expect.minElapsedMs, `${name}: ${elapsed} ms`);
    if (expect.maxElapsedMs !== undefined) assert.ok(elapsed <= expect.maxElapsedMs, `${name}: ${elapsed} ms`);
    if (report) {
      for (const [outcome, count] of Object.entries(expect.totals ?? {})) {
        assert.equal(report.totals[camel(outcome)], count, `${name}: ${JSON.stringify(report.totals)}`);
      }
      if ('stoppedEarly' in expect) assert.equal(report.stoppedEarly?.code ?? null, expect.stoppedEarly, name);
      return;
    }
    assert.equal(error?.code ?? null, expect.error, `${name}: ${error}`);
    if (expect.statusCode !== undefined) assert.equal(error.statusCode ?? error.httpStatus, expect.statusCode, name);
    if (expect.apiCode !== undefined) assert.equal(error.apiCode, expect.apiCode, name);
  });
}

test('the matrix has the rows the issue asks for', () => {
  assert.ok(matrix.rows.length >= 20);
});
