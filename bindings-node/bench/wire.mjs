// The Node client of `make bench-wire`: the same token-authenticated 50-id
// resignUserBatch call as wrk, with CONCURRENCY promises in flight for SECONDS after a
// warm-up. Prints one JSON line: calls, seconds, the process's CPU time (user + sys,
// process.cpuUsage()) and its context switches (every thread, voluntary + involuntary,
// process.resourceUsage()) over the measured window.
//
//   AUTHING_ACCESS_KEY_ID=... AUTHING_ACCESS_KEY_SECRET=... \
//     node bench/wire.mjs URL CONCURRENCY SECONDS ID1,ID2,...
import { ManagementClient } from '../lib/index.mjs';

const [url, n, secs, idList] = process.argv.slice(2);
const userIds = idList.split(',');
const client = new ManagementClient({
  accessKeyId: process.env.AUTHING_ACCESS_KEY_ID,
  accessKeySecret: process.env.AUTHING_ACCESS_KEY_SECRET,
  host: url,
  auth: 'token',
});

async function run(width, ms) {
  const deadline = performance.now() + ms;
  let calls = 0;
  const worker = async () => {
    while (performance.now() < deadline) {
      const resp = await client.resignUserBatch({ userIds });
      if (resp.statusCode !== 200) throw new Error(JSON.stringify(resp));
      calls += 1;
    }
  };
  await Promise.all(Array.from({ length: width }, worker));
  return calls;
}

await run(Number(n), 500); // warm-up: token, connections, JIT
const switches = () => {
  const r = process.resourceUsage();
  return r.voluntaryContextSwitches + r.involuntaryContextSwitches;
};
const ctx0 = switches();
const cpu0 = process.cpuUsage();
const t0 = performance.now();
const calls = await run(Number(n), Number(secs) * 1000);
const elapsed = (performance.now() - t0) / 1000;
const cpu = process.cpuUsage(cpu0);
const ctx = switches() - ctx0;
console.log(JSON.stringify({ calls, secs: elapsed, cpu_secs: (cpu.user + cpu.system) / 1e6, ctx }));
