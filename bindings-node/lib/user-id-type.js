'use strict';
// UserIdType as a real frozen object (usable from plain JavaScript), built from the
// core's list so the two cannot drift: { USER_ID: 'user_id', EXTERNAL_ID: 'external_id', ... }.

const native = require('../native.js');

const UserIdType = Object.freeze(Object.fromEntries(native.userIdTypes().map((v) => [v.toUpperCase(), v])));

module.exports = { UserIdType };
