// AUTHING_RESIGN_LOG prints the core's events on stderr (never a secret), and the error
// classes import without loading the native addon.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { useEmulator, ACCESS_KEY_ID, ACCESS_KEY_SECRET } from './helpers/emulator.mjs';

const PKG = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const emu = useEmulator();

function child(code, env = {}) {
  const r = spawnSync(process.execPath, ['-e', code], {
    cwd: PKG,
    env: { ...process.env, AUTHING_RESIGN_LOG: '', ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  assert.equal(r.status, 0, r.stderr);
  return r;
}

const RETRIED_CALL = (url, id) => `
  const { ManagementClient } = require('authing-resign');
  const c = new ManagementClient({ accessKeyId: ${JSON.stringify(ACCESS_KEY_ID)},
    accessKeySecret: ${JSON.stringify(ACCESS_KEY_SECRET)}, host: ${JSON.stringify(url)}, maxRetries: 1 });
  c.resignUserBatch({ userIds: [${JSON.stringify(id)}] }).then((r) => { if (!r.data.success) process.exit(3); });
`;

test('AUTHING_RESIGN_LOG=debug prints retries on stderr, without the secret', async () => {
  const [user] = await emu.seed([{ username: 'logged' }]);
  await emu.fault({ route: '/api/v3/resign-user-batch', kind: 'http_status', status: 503, times: 1 });
  const shown = child(RETRIED_CALL(emu.url, user.userId), { AUTHING_RESIGN_LOG: 'debug' });
  assert.match(shown.stderr, /WARN/);
  assert.match(shown.stderr, /authing_resign/);
  assert.ok(!shown.stderr.includes(ACCESS_KEY_SECRET), 'no secret on stderr');

  const [other] = await emu.seed([{ username: 'quiet' }]);
  await emu.fault({ route: '/api/v3/resign-user-batch', kind: 'http_status', status: 503, times: 1 });
  const quiet = child(RETRIED_CALL(emu.url, other.userId));
  assert.equal(quiet.stderr, '', 'nothing printed without the variable');
});

test('the error classes import without the native addon', () => {
  const r = child(`
    const errors = require('authing-resign/errors');
    const loaded = Object.keys(require.cache).filter((f) => f.endsWith('.node') || f.endsWith('native.js'));
    if (loaded.length) { console.error('loaded', loaded); process.exit(4); }
    const e = new errors.ApiError('nope', { statusCode: 404, apiCode: 2004 });
    if (!(e instanceof errors.AuthingError) || e.code !== 'api_error') process.exit(5);
    // The main entry exposes the very same classes.
    if (require('authing-resign').ApiError !== errors.ApiError) process.exit(6);
  `);
  assert.equal(r.stderr, '');
});
