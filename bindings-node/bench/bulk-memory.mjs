// The memory of a Node bulk job (`make bench-wire`, issue 15 item 3): resignUsers over
// USERS fresh email ids (concurrency 16, token scheme) on an emulator the caller started
// with `--unknown-ids ignore`, then the report written to a temporary file. Prints one
// JSON line: users, HTTP calls, seconds of the job, the process's peak RSS in MiB
// (VmHWM on Linux, see peakRss) and the report file's size in MB.
//
//   AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//     node bench/bulk-memory.mjs URL USERS
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManagementClient } from '../lib/index.mjs';

/**
 * This process's peak RSS in MiB. On Linux from VmHWM, the high-water mark of this image
 * alone: maxRSS also counts the parent's memory when it started us through vfork (`exec`
 * records the old image's peak), e.g. 700 MB from the bench-wire driver.
 */
function peakRss() {
  try {
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (hwm) return Number(hwm[1]) / 1024;
  } catch {
    // not Linux: maxRSS below
  }
  return process.resourceUsage().maxRSS / 1024;
}

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
  const peakRssMib = peakRss();
  console.log(JSON.stringify({ users, calls: report.httpCalls, secs, peak_rss_mib: peakRssMib, report_mb: reportMb }));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
