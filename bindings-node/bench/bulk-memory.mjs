// The memory of a Node bulk job (`make bench-wire`, issue 15 item 3): resignUsers over
// USERS fresh email ids (concurrency 16, token scheme) on an emulator the caller started
// with `--unknown-ids ignore`, then the report written to a temporary file. Prints one
// JSON line: users, HTTP calls, seconds of the job, the process's peak RSS in MiB
// (process.resourceUsage().maxRSS) and the report file's size in MB.
//
//   AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//     node bench/bulk-memory.mjs URL USERS
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementClient } from '../lib/index.mjs';

const [url, count] = process.argv.slice(2);
const users = Number(count);
if (!url || !Number.isSafeInteger(users) || users < 1) {
  console.error('usage: node bench/bulk-memory.mjs URL USERS');
  process.exit(2);
}
const client = new ManagementClient({
  accessKeyId: process.env.AUTHING_ACCESS_KEY_ID,
  accessKeySecret: process.env.AUTHING_ACCESS_KEY_SECRET,
  host: url,
  auth: 'token',
});
// Fresh per run (the pid), so a second run on the same emulator sends new ids too.
const userIds = Array.from({ length: users }, (_, i) => `node${process.pid}-${String(i).padStart(7, '0')}@example.com`);

const t0 = performance.now();
const report = await client.resignUsers({ userIds, userIdType: 'email', concurrency: 16 });
const secs = (performance.now() - t0) / 1000;
if (report.totals.resigned !== users) throw new Error(`not every user resigned: ${JSON.stringify(report.totals)}`);

const dir = mkdtempSync(join(tmpdir(), 'authing-bulk-memory-'));
const file = join(dir, 'report.json');
try {
  // Streamed by the core off the JS thread; a report without `writeJson` (before it
  // existed) could only be written through JSON.stringify, in memory.
  if (typeof report.writeJson === 'function') await report.writeJson(file);
  else writeFileSync(file, JSON.stringify(report));
  const reportMb = statSync(file).size / 1e6;
  const peakRssMib = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ users, calls: report.httpCalls, secs, peak_rss_mib: peakRssMib, report_mb: reportMb }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
