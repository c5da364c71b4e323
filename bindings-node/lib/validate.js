'use strict';
// JavaScript type checks, done before anything reaches the native side, so a wrong
// type is a TypeError naming the field (values are the core's to judge: an empty id or
// an unknown userIdType is an InvalidArgumentError from Rust).

function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `${typeof value}`;
}

function fail(field, expected, value) {
  throw new TypeError(`\`${field}\` must be ${expected}, got ${describe(value)}`);
}

function isPlainObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// A lone surrogate (a high one not followed by a low one, or a low one not preceded by
// a high one) has no UTF-8 form: the native conversion would replace it with U+FFFD and
// send a different string than the one given, so it is refused here, by position.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

// `String.prototype.isWellFormed` (Node >= 20) answers without a regular expression
// (50 ids a call: a measurable share of a call's JS time); the expression then only
// runs to find the position for the message.
const HAS_IS_WELL_FORMED = typeof String.prototype.isWellFormed === 'function';

/** Throws a TypeError naming `field` when `value` (a string) holds a lone surrogate. */
function wellFormed(value, field) {
  if (HAS_IS_WELL_FORMED && value.isWellFormed()) return;
  const found = LONE_SURROGATE.exec(value);
  if (found) {
    const unit = found[0].charCodeAt(0).toString(16).toUpperCase();
    throw new TypeError(
      `\`${field}\` must be well-formed Unicode: lone surrogate U+${unit} at UTF-16 offset ${found.index} ` +
        'has no UTF-8 form and would be sent altered',
    );
  }
}

const CHECKS = {
  string: (v) => typeof v === 'string',
  number: (v) => typeof v === 'number',
  boolean: (v) => typeof v === 'boolean',
  function: (v) => typeof v === 'function',
  object: isPlainObject,
};

/** Checks one value against its kind; a string must also be well-formed. */
function typed(value, kind, field) {
  if (!CHECKS[kind](value)) fail(field, `a ${kind}`, value);
  if (kind === 'string') wellFormed(value, field);
}

/** Checks optional fields by a `{ name: kind }` table; null counts as unset. */
function optional(obj, table) {
  for (const [name, kind] of Object.entries(table)) {
    const v = obj[name];
    if (v !== undefined && v !== null) typed(v, kind, name);
  }
}

/** One optional string field (null counts as unset): `optional` without its table, for
 * the single calls, made once per call. */
function optionalString(value, field) {
  if (value !== undefined && value !== null) typed(value, 'string', field);
}

function object(value, what) {
  if (!isPlainObject(value)) fail(what, 'an object', value);
}

function stringArray(value, field) {
  if (!Array.isArray(value)) fail(field, 'an array of strings', value);
  // An index loop, not forEach: forEach skips the holes of a sparse array. An element's
  // name (`userIds[7]`) is only spelled for a message: building it for each of 50 ids
  // cost a string concatenation and a number conversion apiece on every call.
  for (let i = 0; i < value.length; i += 1) {
    const v = value[i];
    if (typeof v !== 'string') fail(`${field}[${i}]`, 'a string', v);
    if (!HAS_IS_WELL_FORMED || !v.isWellFormed()) wellFormed(v, `${field}[${i}]`);
  }
}

/** `caCert`: PEM text, or its bytes as a Buffer. */
function pem(value) {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value !== 'string') fail('caCert', 'a PEM string or Buffer', value);
  wellFormed(value, 'caCert');
  return value;
}

/** `headers`: an object of strings, copied. */
function headerObject(headers) {
  object(headers, 'headers');
  for (const [name, value] of Object.entries(headers)) {
    wellFormed(name, `headers.${name}`);
    if (typeof value !== 'string') fail(`headers.${name}`, 'a string', value);
    wellFormed(value, `headers.${name}`);
  }
  return { ...headers };
}

// Every client option and the type of its value, from the Rust declaration of
// `ClientOptions` (src/options.rs): the one list of them. Read on first use.
let optionKinds;
function clientOptionKinds() {
  optionKinds ??= require('../native.js').clientOptionKinds();
  return optionKinds;
}

// The options that take more than one JavaScript type, converted here.
const CONVERT = { caCert: pem, headers: headerObject };

/**
 * Checks the constructor options and returns the object the native side takes:
 * only known keys, null dropped, a Buffer `caCert` as text; a missing key becomes ''
 * so the core reports it as a ConfigError naming the option.
 */
function clientOptions(options) {
  object(options, 'options');
  const out = {};
  for (const { name, kind } of clientOptionKinds()) {
    const v = options[name];
    if (v === undefined || v === null) continue;
    if (CONVERT[name]) out[name] = CONVERT[name](v);
    else {
      typed(v, kind, name);
      out[name] = v;
    }
  }
  out.accessKeyId ??= '';
  out.accessKeySecret ??= '';
  return out;
}

/**
 * An array of strings (as `stringArray` checks it), joined by U+0000: one string for
 * the native side to convert instead of one per element (src/ids.rs, which splits it,
 * falls back to the array when an element holds a U+0000 itself). Joining makes no
 * lone surrogate and heals none, so one well-formedness check covers every element.
 */
function joinedStrings(value, field) {
  if (!Array.isArray(value)) fail(field, 'an array of strings', value);
  let joined = '';
  for (let i = 0; i < value.length; i += 1) {
    const v = value[i];
    if (typeof v !== 'string') fail(`${field}[${i}]`, 'a string', v);
    // A rope, flattened once by the check below.
    joined = i === 0 ? v : `${joined}\0${v}`;
  }
  // Without isWellFormed, or with a lone surrogate somewhere: the per-element check
  // finds and names it.
  if (!HAS_IS_WELL_FORMED || !joined.isWellFormed()) stringArray(value, field);
  return joined;
}

/**
 * `{ userIds, userIdType }` of resignUserBatch, as `NativeClient.resignUserBatch`
 * takes it: the ids joined (`joinedStrings`), their count, the array, the id type.
 */
function batchRequest(request) {
  object(request, 'request');
  const ids = request.userIds;
  const joined = joinedStrings(ids, 'userIds');
  optionalString(request.userIdType, 'userIdType');
  return [joined, ids.length, ids, request.userIdType ?? undefined];
}

/** `{ userId, userIdType }` of resignUser, as `NativeClient.resignUser` takes it. */
function userRequest(request) {
  object(request, 'request');
  if (typeof request.userId !== 'string') fail('userId', 'a string', request.userId);
  wellFormed(request.userId, 'userId');
  optionalString(request.userIdType, 'userIdType');
  return [request.userId, request.userIdType ?? undefined];
}

/** The options of resignUsers; returns the native request and the JS-only parts. */
function bulkRequest(request) {
  object(request, 'request');
  // A copy, checked and sent as it is: the report names these very strings, whatever
  // the caller does to its own array while the job runs.
  const ids = Array.isArray(request.userIds) ? Array.from(request.userIds) : request.userIds;
  stringArray(ids, 'userIds');
  optional(request, {
    userIdType: 'string',
    chunkSize: 'number',
    concurrency: 'number',
    dryRun: 'boolean',
    deadline: 'number',
    journal: 'string',
    resumeFrom: 'string',
    resumeForce: 'boolean',
    verify: 'boolean',
    verifyOnly: 'boolean',
    onProgress: 'function',
  });
  const { signal } = request;
  // Duck-typed so AbortSignal polyfills and signals from other realms work too.
  if (
    signal !== undefined &&
    signal !== null &&
    !(typeof signal === 'object' && typeof signal.aborted === 'boolean' && typeof signal.addEventListener === 'function')
  ) {
    fail('signal', 'an AbortSignal', signal);
  }
  const native = { userIds: ids };
  const keys = ['userIdType', 'chunkSize', 'concurrency', 'dryRun', 'deadline', 'journal', 'resumeFrom', 'resumeForce', 'verify', 'verifyOnly'];
  for (const key of keys) {
    if (request[key] !== undefined && request[key] !== null) native[key] = request[key];
  }
  return { native, ids, onProgress: request.onProgress ?? undefined, signal: signal ?? undefined };
}

/** `report.writeJson(path, indent)`: a well-formed path, an optional number. */
function writeJsonArgs(path, indent) {
  typed(path, 'string', 'path');
  if (indent !== undefined && indent !== null) typed(indent, 'number', 'indent');
  return { path, indent: indent ?? undefined };
}

module.exports = { clientOptions, clientOptionKinds, batchRequest, userRequest, bulkRequest, writeJsonArgs };
