'use strict';
// CommonJS entry point of `authing-resign`.

const native = require('../native.js');
const { ManagementClient } = require('./client');
const { UserIdType, Outcome, AuthScheme } = require('./constants');
// Every error class, as `lib/errors.js` defines them (its `fromNative` stays internal).
const { fromNative: _internal, ...errors } = require('./errors');

module.exports = { ManagementClient, UserIdType, Outcome, AuthScheme, ...errors, VERSION: native.version() };
