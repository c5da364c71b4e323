// The CommonJS entry on its own, as `require('authing-resign')`.

const { test } = require('node:test');
const assert = require('node:assert/strict');
const { ManagementClient, UserIdType, ConfigError, AuthingError } = require('authing-resign');

test('require() gives a working client and classes', () => {
  assert.equal(typeof ManagementClient, 'function');
  assert.equal(UserIdType.USER_ID, 'user_id');
  assert.throws(
    () => new ManagementClient({ accessKeyId: 'k', accessKeySecret: 's', host: 'ftp://127.0.0.1' }),
    (err) => err instanceof ConfigError && err instanceof AuthingError && err.option === 'host',
  );
});
