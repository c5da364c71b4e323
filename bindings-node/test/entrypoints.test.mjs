// The ES module and CommonJS entries expose the same objects (one addon, one set of
// classes), through the package's own `exports` map.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import * as esm from 'authing-resign';
import esmDefault from 'authing-resign';

const require = createRequire(import.meta.url);
const cjs = require('authing-resign');

const NAMES = [
  'ManagementClient',
  'UserIdType',
  'Outcome',
  'AuthScheme',
  'AuthingError',
  'InvalidArgumentError',
  'ConfigError',
  'ApiError',
  'TimeoutError',
  'TransportError',
  'DecodeError',
  'CancelledError',
  'JournalError',
  'ResumeMismatchError',
  'VERSION',
];

test('ESM named exports, ESM default export and CJS are the same objects', () => {
  for (const name of NAMES) {
    assert.ok(esm[name] !== undefined, `ESM exports ${name}`);
    assert.equal(esm[name], cjs[name], `${name} is shared`);
    assert.equal(esmDefault[name], cjs[name]);
  }
});

test('instanceof works across the two entries', async () => {
  const client = new cjs.ManagementClient({ accessKeyId: 'k', accessKeySecret: 's', host: 'http://127.0.0.1:1' });
  await assert.rejects(client.resignUserBatch({ userIds: [] }), (err) => {
    assert.ok(err instanceof esm.InvalidArgumentError);
    assert.ok(err instanceof esm.AuthingError);
    assert.ok(err instanceof Error);
    return true;
  });
  assert.ok(new esm.ApiError('x', { statusCode: 500 }) instanceof cjs.AuthingError);
});

test('error classes can be constructed by users (e.g. in their own tests)', () => {
  const err = new esm.ApiError('throttled', { statusCode: 429, apiCode: null, requestId: 'r-1', retryable: true });
  assert.equal(err.name, 'ApiError');
  assert.equal(err.code, 'api_error');
  assert.equal(err.statusCode, 429);
  assert.equal(err.requestId, 'r-1');
  assert.equal(err.isRetryable(), true);
});
