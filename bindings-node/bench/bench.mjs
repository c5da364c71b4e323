// Benchmark: authing-resign vs the official authing-node-sdk 4.0.1, in one run,
// against the same emulator process on 127.0.0.1. Prints figures and ratios; it
// asserts nothing about speed.
//
//   node bench/bench.mjs            (make bench-node builds the release addon first)
// Sizes can be lowered for a quick look: BENCH_SEQUENTIAL, BENCH_BULK_USERS,
// BENCH_MEMORY_CALLS, BENCH_OFFICIAL_MEMORY_CALLS.

import { createRequire } from 'node:module';
import { ManagementClient } from '../lib/index.mjs';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, Emulator, startEmulator } from '../test/helpers/emulator.mjs';

const require = createRequire(import.meta.url);
const official = require('authing-node-sdk');

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 2000);
const BULK_USERS = Number(process.env.BENCH_BULK_USERS ?? 10_000);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000);
const OFFICIAL_MEMORY_CALLS = Number(process.env.BENCH_OFFICIAL_MEMORY_CALLS ?? MEMORY_CALLS);

const { url, stop } = await startEmulator();
const emu = new Emulator(url, stop);
const options = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, host: url };
const ours = new ManagementClient({ ...options });
const theirs = new official.ManagementClient({ ...options });

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The official SDK resolves failure envelopes; make them fail the benchmark loudly. */
function checked(resp) {
  if (resp.statusCode !== 200) throw new Error(`official SDK call failed: ${JSON.stringify(resp)}`);
  return resp;
}

async function seed(n, prefix) {
  const ids = [];
  for (let i = 0; i < n; i += 1000) {
    const batch = Array.from({ length: Math.min(1000, n - i) }, (_, j) => ({ username: `${prefix}${i + j}` }));
    ids.push(...(await emu.seed(batch)).map((u) => u.userId));
  }
  return ids;
}

function line(label, oursMs, theirsMs, unit) {
  console.log(
    `${label.padEnd(44)} ours ${fmt(oursMs).padStart(7)} ms   official ${fmt(theirsMs).padStart(7)} ms   ` +
      `official/ours = ${(theirsMs / oursMs).toFixed(2)}x${unit ? `   (${unit})` : ''}`,
  );
}

async function sequential() {
  await emu.reset();
  const [id] = await seed(1, 'seq');
  // Warm up both (connections, JIT) before measuring.
  for (let i = 0; i < 50; i += 1) {
    await ours.resignUserBatch({ userIds: [id] });
    checked(await theirs.resignUserBatch({ userIds: [id] }));
  }
  const oursMs = await timed(async () => {
    for (let i = 0; i < SEQUENTIAL; i += 1) await ours.resignUserBatch({ userIds: [id] });
  });
  const theirsMs = await timed(async () => {
    for (let i = 0; i < SEQUENTIAL; i += 1) checked(await theirs.resignUserBatch({ userIds: [id] }));
  });
  line(`${fmt(SEQUENTIAL)} sequential resignUserBatch`, oursMs, theirsMs,
    `${fmt((SEQUENTIAL / oursMs) * 1000)} vs ${fmt((SEQUENTIAL / theirsMs) * 1000)} calls/s`);
}

async function bulk() {
  await emu.reset();
  const idsA = await seed(BULK_USERS, 'bulk-a');
  const idsB = await seed(BULK_USERS, 'bulk-b');
  let report;
  const oursMs = await timed(async () => {
    report = await ours.resignUsers({ userIds: idsA, userIdType: 'user_id' });
  });
  if (report.totals.resigned !== BULK_USERS) throw new Error(`resignUsers: ${JSON.stringify(report.totals)}`);
  const theirsMs = await timed(async () => {
    for (let i = 0; i < idsB.length; i += 50) {
      checked(await theirs.resignUserBatch({ userIds: idsB.slice(i, i + 50), userIdType: 'user_id' }));
    }
  });
  line(`${fmt(BULK_USERS)} users: resignUsers vs 50-id chunk loop`, oursMs, theirsMs,
    `${report.httpCalls} calls, concurrency 4`);
}

async function memory(label, n, call) {
  global.gc?.();
  const before = process.memoryUsage();
  const t = performance.now();
  for (let i = 0; i < n; i += 1) {
    await call();
    // The emulator remembers every signature nonce; clear now and then so its
    // memory, not the client's, does not become the subject.
    if (i % 20_000 === 19_999) await emu.clearJournal();
  }
  const ms = performance.now() - t;
  global.gc?.();
  const after = process.memoryUsage();
  console.log(
    `${`${label}: ${fmt(n)} calls`.padEnd(44)} ${fmt(ms)} ms   rss ${mb(before.rss)} -> ${mb(after.rss)} MB   ` +
      `heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB   external ${mb(before.external)} -> ${mb(after.external)} MB`,
  );
  return after.rss - before.rss;
}

console.log(`authing-resign ${ours.constructor.name} vs authing-node-sdk 4.0.1 — Node ${process.version}, emulator ${url}`);
try {
  await sequential();
  await bulk();
  await emu.reset();
  const [id] = await seed(1, 'mem');
  const oursGrowth = await memory('memory, ours', MEMORY_CALLS, () => ours.resignUserBatch({ userIds: [id] }));
  let theirsGrowth = null;
  if (OFFICIAL_MEMORY_CALLS > 0) {
    theirsGrowth = await memory('memory, official', OFFICIAL_MEMORY_CALLS, async () =>
      checked(await theirs.resignUserBatch({ userIds: [id] })),
    );
  }
  console.log(
    `rss growth: ours ${mb(oursGrowth)} MB` +
      (theirsGrowth === null ? '' : `, official ${mb(theirsGrowth)} MB (different call counts are noted above)`),
  );
} finally {
  await stop();
}
