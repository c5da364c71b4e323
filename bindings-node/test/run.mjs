// Runs the whole Node suite against one emulator process: starts the binary, hands
// its URL to every test file (node --test runs each file in its own process), stops it.

import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from './helpers/emulator.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const files = readdirSync(here)
  .filter((f) => /\.test\.(mjs|cjs)$/.test(f))
  .sort()
  .map((f) => join(here, f));

const { url, stop } = await startEmulator();
let code = 1;
try {
  const child = spawn(process.execPath, ['--test', '--test-concurrency=1', ...files], {
    stdio: 'inherit',
    env: { ...process.env, AUTHING_EMULATOR_URL: url },
  });
  code = await new Promise((ok) => child.once('exit', (c, signal) => ok(c ?? (signal ? 1 : 0))));
} finally {
  await stop();
}
process.exit(code);
