'use strict';
// Error classes of authing-resign. The native side rejects with an Error object whose
// own properties are the structured fields, marked by a property named by
// `errorMarker()` (bindings-node/src/errors.rs); `fromNative` turns it into the
// matching class by reading those properties. No message text is parsed.

// The addon is loaded on first use, not at import: `require('authing-resign/errors')`
// (instanceof checks, tests, type guards) works where the native addon cannot load.
let native;
function addon() {
  native ??= require('../native.js');
  return native;
}
let marker;
function nativeMarker() {
  marker ??= addon().errorMarker();
  return marker;
}
// The core's fields of each error code, named as in JavaScript (`statusCode`, …): the
// classes below copy exactly these, so a field added in the core needs no edit here.
let coreFields;
function fieldsOf(code) {
  if (coreFields === undefined) {
    try {
      coreFields = addon().errorFields();
    } catch {
      // No addon: an error built by hand still gets the fields it is given.
      return null;
    }
  }
  return coreFields[code] ?? [];
}

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

function defineError(name, code, ownKeys = []) {
  const cls = {
    [name]: class extends AuthingError {
      constructor(message, fields = {}, options = undefined) {
        super(message, { code, ...fields }, options);
        const known = fieldsOf(code) ?? Object.keys(fields);
        const keys = [...known, ...ownKeys];
        for (const key of keys) {
          if (key !== 'code' && key !== 'retryable' && key !== 'auth') this[key] = fields[key] ?? null;
        }
      }
    },
  }[name];
  cls.code = code;
  return cls;
}

// One class per core error code (the core owns the list of codes and their fields).
const CLASSES = {
  InvalidArgumentError: defineError('InvalidArgumentError', 'invalid_argument'),
  ConfigError: defineError('ConfigError', 'config'),
  ApiError: defineError('ApiError', 'api_error'),
  ApiRejectedError: defineError('ApiRejectedError', 'api_rejected'),
  TimeoutError: defineError('TimeoutError', 'timeout'),
  TransportError: defineError('TransportError', 'transport'),
  DecodeError: defineError('DecodeError', 'decode'),
  JournalError: defineError('JournalError', 'journal'),
  ResumeMismatchError: defineError('ResumeMismatchError', 'resume_mismatch'),
  // `report` is this package's own: the partial report when `onProgress` threw.
  CancelledError: defineError('CancelledError', 'cancelled', ['report']),
};

const BY_CODE = new Map(Object.values(CLASSES).map((c) => [c.code, c]));

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
  if (err[nativeMarker()] === true) {
    const cls = BY_CODE.get(err.code) ?? AuthingError;
    // Built here, inside the awaiting wrapper, so V8's async stack trace shows the caller.
    return new cls(err.message, err);
  }
  if (NAPI_TYPE_STATUSES.has(err.code)) return new TypeError(err.message, { cause: err });
  return err;
}

module.exports = { AuthingError, ...CLASSES, fromNative };
