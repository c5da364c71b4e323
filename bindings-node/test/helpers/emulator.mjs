// The emulator binary for the Node suite: started once per test session by run.mjs
// (which passes its URL in AUTHING_EMULATOR_URL), or by a test file run on its own.
// Everything goes to 127.0.0.1.

import { spawn } from 'node:child_process';
import { after, before, beforeEach } from 'node:test';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const ROOT = resolve(here, '../../..');
export const ACCESS_KEY_ID = 'emulator-access-key-id';
export const ACCESS_KEY_SECRET = 'emulator-access-key-secret';

/** Starts the emulator binary on a free loopback port; resolves to `{ url, stop }`. */
export async function startEmulator(args = []) {
  const bin = process.env.AUTHING_EMULATOR_BIN || resolve(ROOT, 'target/debug/authing-emulator');
  if (!existsSync(bin)) throw new Error(`emulator binary not found at ${bin}: run \`make emulator-bin\``);
  const child = spawn(bin, ['--host', '127.0.0.1', '--port', '0', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise((ok, fail) => {
    const timer = setTimeout(() => fail(new Error('emulator did not start within 20 s')), 20_000);
    child.once('exit', (code) => fail(new Error(`emulator exited with ${code} before listening`)));
    lines.once('line', (line) => {
      clearTimeout(timer);
      const prefix = 'authing-emulator listening on ';
      if (line.startsWith(prefix)) ok(line.slice(prefix.length).trim());
      else fail(new Error(`unexpected first emulator line: ${line}`));
    });
  });
  lines.on('line', () => {}); // keep draining stdout so the emulator never blocks on it
  const stop = () =>
    new Promise((ok) => {
      if (child.exitCode !== null || child.signalCode !== null) return ok();
      child.once('exit', () => ok());
      child.kill('SIGTERM');
    });
  return { url, stop };
}

/** A handle on the emulator's control API (`/__emulator/…`). */
export class Emulator {
  constructor(url, stop = async () => {}) {
    this.url = url;
    this.stop = stop;
  }

  async control(method, path, body) {
    const res = await fetch(`${this.url}/__emulator/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${method} ${path}: HTTP ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  reset() {
    return this.control('POST', 'reset');
  }
  /** Seeds users (UserDto fields); resolves to the created users with their userId. */
  async seed(users) {
    return (await this.control('POST', 'users', users)).users;
  }
  users() {
    return this.control('GET', 'users');
  }
  fault(spec) {
    return this.control('POST', 'faults', spec);
  }
  settings(patch) {
    return this.control('PATCH', 'settings', patch);
  }
  journal() {
    return this.control('GET', 'journal');
  }
  clearJournal() {
    return this.control('DELETE', 'journal');
  }
  stats() {
    return this.control('GET', 'stats');
  }
}

/** The session's emulator: the one run.mjs started, or a private one for this file. */
export async function sessionEmulator() {
  if (process.env.AUTHING_EMULATOR_URL) return new Emulator(process.env.AUTHING_EMULATOR_URL);
  const { url, stop } = await startEmulator();
  return new Emulator(url, stop);
}

/**
 * Registers the hooks every test file needs: the session's emulator before the
 * first test, a reset before each one, a stop at the end. The returned handle is
 * usable from the first test on.
 */
export function useEmulator() {
  const emu = new Emulator(undefined);
  before(async () => {
    const session = await sessionEmulator();
    emu.url = session.url;
    emu.stop = session.stop;
  });
  after(() => emu.stop());
  beforeEach(() => emu.reset());
  return emu;
}

/** Client options for the emulator, plus overrides. */
export function clientOptions(emulator, extra = {}) {
  return { accessKeyId: ACCESS_KEY_ID, accessKeySecret: ACCESS_KEY_SECRET, host: emulator.url, ...extra };
}
