'use strict';
// CommonJS entry point of `authing-resign`.

const native = require('../native.js');
const { ManagementClient } = require('./client');
const { UserIdType } = require('./user-id-type');
const errors = require('./errors');

module.exports = {
  ManagementClient,
  UserIdType,
  AuthingError: errors.AuthingError,
  InvalidArgumentError: errors.InvalidArgumentError,
  ConfigError: errors.ConfigError,
  ApiError: errors.ApiError,
  TimeoutError: errors.TimeoutError,
  TransportError: errors.TransportError,
  DecodeError: errors.DecodeError,
  CancelledError: errors.CancelledError,
  JournalError: errors.JournalError,
  ResumeMismatchError: errors.ResumeMismatchError,
  VERSION: native.version(),
};
