'use strict';
// The core's vocabularies as frozen objects (usable from plain JavaScript), each built
// from the core's own list so that nothing here can drift from it or re-spell it:
// UserIdType { USER_ID: 'user_id', ... }, Outcome { RESIGNED: 'resigned', ... },
// AuthScheme { SIGNATURE: 'signature', TOKEN: 'token' }.

const native = require('../native.js');

/** `['user_id', ...]` -> `{ USER_ID: 'user_id', ... }`, frozen. */
function constants(values) {
  return Object.freeze(Object.fromEntries(values.map((v) => [v.toUpperCase(), v])));
}

const UserIdType = constants(native.userIdTypes());
const Outcome = constants(native.outcomes());
const AuthScheme = constants(native.authSchemes());

module.exports = { UserIdType, Outcome, AuthScheme };
