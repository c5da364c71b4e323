// Benchmark: authing-resign vs the official authing-node-sdk 4.0.1, in one run,
// against the same emulator process on 127.0.0.1. Prints figures and ratios; it
// asserts nothing about speed.
//
//   node bench/bench.mjs            (make bench-node builds the release addon first)
// Sizes can be lowered for a quick look: BENCH_SEQUENTIAL, BENCH_BULK_USERS,
// BENCH_MEMORY_CALLS, BENCH_OFFICIAL_MEMORY_CALLS.

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { ACCESS_KEY_ID, ACCESS_KEY_SECRET, Emulator, startEmulator } from '../test/helpers/emulator.mjs';


const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 2000);
const BULK_USERS = Number(process.env.BENCH_BULK_USERS ?? 10_000);
const MEMORY_CALLS = Number(process.env.BENCH_MEMORY_CALLS ?? 100_000);
const OFFICIAL_MEMORY_CALLS = Number(process.env.BENCH_OFFICIAL_MEMORY_CALLS ?? MEMORY_CALLS);

// `bench.mjs --memory <ours|official>` is the child that measures one SDK's memory in
// a fresh process (so neither inherits the other's heap), on the parent's emulator.
const memoryChild = process.argv[2] === '--memory' ? process.argv[3] : null;

const { url, stop } = memoryChild
  ? { url: process.env.AUTHING_EMULATOR_URL, stop: async () => {} }
  : await startEmulator();
const emu = new Emulator(url, stop);
const options = { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, host: url };
// A memory child loads only the SDK it measures.
let ours;
let theirs;
if (memoryChild !== 'official') {
  const { ManagementClient } = await import('../lib/index.mjs');
  ours = new ManagementClient({ ...options });
}
if (memoryChild !== 'ours') {
  const official = createRequire(import.meta.url)('authing-node-sdk');
  theirs = new official.ManagementClient({ ...options });
}

const mb = (bytes) => (bytes / 1024 / 1024).toFixed(1);
const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

async function timed(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/**
 * The official SDK resolves failure envelopes; make them fail the benchmark loudly,
 * except a replayed-nonce rejection (apiCode 1306): its nonce is
 * md5(hostname + pid + a random number below 10^12), so over ~10^5 calls a repeat is
 * possible. Those are counted and reported instead.
 */
let nonceRepeats = 0;
function checked(resp) {
  if (resp.statusCode === 401 && resp.apiCode === 1306) {
    nonceRepeats += 1;
    return resp;
  }
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

/** RSS and heap before and after `n` sequential calls, after a warm-up (pool, JIT). */
async function memory(label, n, call) {
  for (let i = 0; i < 1000; i += 1) await call();
  global.gc?.();
  const before = process.memoryUsage();
  const samples = [];
  const every = Math.max(1, Math.floor(n / 4));
  let busy = 0;
  for (let i = 1; i <= n; i += 1) {
    const t = performance.now();
    await call();
    busy += performance.now() - t;
    if (i % every === 0) {
      // The emulator journals every request: clear it so its memory stays small, and
      // sample RSS after a GC to show whether it trends upwards.
      await emu.clearJournal();
      global.gc?.();
      samples.push(process.memoryUsage().rss);
    }
  }
  const ms = busy;
  global.gc?.();
  const after = process.memoryUsage();
  return { label, n, ms, before, after, samples, nonceRepeats };
}

/** Runs the memory measurement of one SDK in a child process; resolves to its result. */
function memoryInChild(which, userId) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), '--memory', which], {
      env: { ...process.env, AUTHING_EMULATOR_URL: url, BENCH_USER_ID: userId },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`${which}: exit ${code}`))));
  });
}

function printMemory({ label, n, ms, before, after, samples, nonceRepeats: repeats }) {
  console.log(
    `${`${label}: ${fmt(n)} calls`.padEnd(44)} ${fmt(ms)} ms   rss ${mb(before.rss)} -> ${mb(after.rss)} MB   ` +
      `heap ${mb(before.heapUsed)} -> ${mb(after.heapUsed)} MB   rss per quarter: ${samples.map(mb).join(', ')} MB` +
      (repeats ? `   (${repeats} calls rejected for a repeated nonce)` : ''),
  );
}

if (memoryChild) {
  const id = process.env.BENCH_USER_ID;
  const result =
    memoryChild === 'ours'
      ? await memory('memory, ours', MEMORY_CALLS, () => ours.resignUserBatch({ userIds: [id] }))
      : await memory('memory, official', OFFICIAL_MEMORY_CALLS, async () =>
          checked(await theirs.resignUserBatch({ userIds: [id] })),
        );
  process.stdout.write(JSON.stringify(result));
  process.exit(0);
}

console.log(`authing-resign ${ours.constructor.name} vs authing-node-sdk 4.0.1 — Node ${process.version}, emulator ${url}`);
try {
  await sequential();
  await bulk();
  await emu.reset();
  const [id] = await seed(1, 'mem');
  const oursMem = await memoryInChild('ours', id);
  printMemory(oursMem);
  if (OFFICIAL_MEMORY_CALLS > 0) {
    const theirsMem = await memoryInChild('official', id);
    printMemory(theirsMem);
    console.log(
      `rss after the calls: official/ours = ${(theirsMem.after.rss / oursMem.after.rss).toFixed(2)}x; ` +
        `time per call: official/ours = ${(theirsMem.ms / theirsMem.n / (oursMem.ms / oursMem.n)).toFixed(2)}x`,
    );
  }
  if (nonceRepeats) console.log(`official SDK calls rejected for a repeated nonce in the main run: ${nonceRepeats}`);
} finally {
  await stop();
}
