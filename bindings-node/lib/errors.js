'use strict';
// Error classes of authing-resign. The native side rejects with an Error object whose
// own properties are the structured fields, marked by a property named by
// `errorMarker()` (bindings-node/src/errors.rs); `fromNative` turns it into the
// matching class by reading those properties. No message text is parsed.

const native = require('../native.js');

const MARKER = native.errorMarker();

/** Base class of every error this package throws; `code` says which kind it is. */
class AuthingError extends Error {
  constructor(message, fields = {}, options = undefined) {
    super(message, options);
    this.name = new.target.name;
    this.code = fields.code ?? new.target.code ?? 'authing_error';
    Object.defineProperty(this, '_retryable', { value: Boolean(fields.retryable) });
    Object.defineProperty(this, '_auth', { value: Boolean(fields.auth) });
  }

  /** Whether the same request may succeed if retried (429, 5xx, timeouts, transport). */
  isRetryable() {
    return this._retryable;
  }

  /** Whether this is an authentication or authorization failure (401/403, apiCode 1300-1306). */
  isAuth() {
    return this._auth;
  }
}

function defineError(name, code, keys) {
  const cls = {
    [name]: class extends AuthingError {
      constructor(message, fields = {}, options = undefined) {
        super(message, { code, ...fields }, options);
        for (const key of keys) this[key] = fields[key] ?? null;
      }
    },
  }[name];
  cls.code = code;
  return cls;
}

const InvalidArgumentError = defineError('InvalidArgumentError', 'invalid_argument', ['field', 'index', 'reason']);
const ConfigError = defineError('ConfigError', 'config', ['option', 'reason']);
const ApiError = defineError('ApiError', 'api_error', ['statusCode', 'apiCode', 'apiMessage', 'requestId', 'httpStatus']);
const TimeoutError = defineError('TimeoutError', 'timeout', ['phase']);
const TransportError = defineError('TransportError', 'transport', []);
const DecodeError = defineError('DecodeError', 'decode', ['httpStatus', 'reason', 'snippet']);
const CancelledError = defineError('CancelledError', 'cancelled', ['report']);
const JournalError = defineError('JournalError', 'journal', ['path', 'reason']);
const ResumeMismatchError = defineError('ResumeMismatchError', 'resume_mismatch', ['path', 'field', 'earlier', 'now']);

const BY_CODE = new Map(
  [
    InvalidArgumentError,
    ConfigError,
    ApiError,
    TimeoutError,
    TransportError,
    DecodeError,
    CancelledError,
    JournalError,
    ResumeMismatchError,
  ].map((c) => [
    c.code,
    c,
  ]),
);

// napi's statuses for a JavaScript value of the wrong type (argument conversion).
const NAPI_TYPE_STATUSES = new Set([
  'InvalidArg',
  'ObjectExpected',
  'StringExpected',
  'NameExpected',
  'FunctionExpected',
  'NumberExpected',
  'BooleanExpected',
  'ArrayExpected',
  'BigintExpected',
]);

/**
 * Converts an error thrown by the native module: a marked error object becomes its
 * class; a napi argument-conversion failure a TypeError; anything else is passed on.
 */
function fromNative(err) {
  if (!(err instanceof Error)) return err;
  if (err[MARKER] === true) {
    const cls = BY_CODE.get(err.code) ?? AuthingError;
    // Built here, inside the awaiting wrapper, so V8's async stack trace shows the caller.
    return new cls(err.message, err);
  }
  if (NAPI_TYPE_STATUSES.has(err.code)) return new TypeError(err.message, { cause: err });
  return err;
}

module.exports = {
  AuthingError,
  InvalidArgumentError,
  ConfigError,
  ApiError,
  TimeoutError,
  TransportError,
  DecodeError,
  CancelledError,
  JournalError,
  ResumeMismatchError,
  fromNative,
};
