'use strict';
// The bulk report as `resignUsers` resolves it: a plain object, built from the core's
// compact report (bindings-node/src/report.rs) column by column. Each user's `userId`
// is the very string passed in, users of one call share one `requestId` string and one
// `error` object, and a `chunks` entry is the same string as the user's `userId`: a
// million users cost their objects, not copies of their texts. The compact report
// stays behind the non-enumerable `writeJson`, which streams the core's JSON to a file.

const { getSystemErrorName } = require('node:util');
const native = require('../native.js');
const { fromNative } = require('./errors');
const check = require('./validate');

// The core's outcomes, in the order of the native `outcomes` column's indexes.
const OUTCOMES = native.outcomes();
const VERIFIED = [null, false, true];
// Each report's native compact report, for `writeJson` and the tests (`compactOf`).
const COMPACT = new WeakMap();

/**
 * The JavaScript report of `compact` (a native `NativeReport`); `ids` are the ids the
 * job was given, as given (the native side holds its own copy of each). Keys in the
 * order the earlier napi objects had: always-present fields first, then the optional
 * ones when present (`error`, `requestId`; `stoppedEarly`).
 */
function buildReport(compact, ids) {
  const summary = compact.summary();
  if (summary.len !== ids.length) {
    throw new Error(`internal: a report of ${summary.len} users for ${ids.length} ids`);
  }
  const report = {
    userIdType: summary.userIdType,
    dryRun: summary.dryRun,
    users: users(compact.lines(), ids),
    totals: summary.totals,
    chunks: chunks(compact.chunks(), ids),
    httpCalls: summary.httpCalls,
    elapsedMs: summary.elapsedMs,
    verifyOnly: summary.verifyOnly,
    lookupCalls: summary.lookupCalls,
  };
  if (summary.stoppedEarly !== undefined) report.stoppedEarly = summary.stoppedEarly;
  COMPACT.set(report, compact);
  Object.defineProperty(report, 'writeJson', {
    value: (path, indent) => writeJson(compact, path, indent),
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return report;
}

/** One object per user; the four literals keep every property in the object itself. */
function users(lines, ids) {
  const { outcomes, errors, requestIds, statuses, notes, verified, earlierRun, errorTable, texts } = lines;
  const text = (r) => (r === 0 ? null : texts[r - 1]);
  const out = new Array(ids.length);
  for (let i = 0; i < ids.length; i += 1) {
    const userId = ids[i];
    const outcome = OUTCOMES[outcomes[i]];
    const seen = VERIFIED[verified[i]];
    const status = text(statuses[i]);
    const verifyNote = text(notes[i]);
    const earlier = earlierRun[i] === 1;
    const e = errors[i];
    const r = requestIds[i];
    if (e === 0 && r === 0) {
      out[i] = { userId, outcome, verified: seen, status, verifyNote, earlierRun: earlier };
    } else if (r === 0) {
      out[i] = { userId, outcome, verified: seen, status, verifyNote, earlierRun: earlier, error: errorTable[e - 1] };
    } else if (e === 0) {
      out[i] = { userId, outcome, verified: seen, status, verifyNote, earlierRun: earlier, requestId: texts[r - 1] };
    } else {
      out[i] = {
        userId,
        outcome,
        verified: seen,
        status,
        verifyNote,
        earlierRun: earlier,
        error: errorTable[e - 1],
        requestId: texts[r - 1],
      };
    }
  }
  return out;
}

/** The planned chunks, each id the same string as its user's `userId`. */
function chunks({ ends, members }, ids) {
  const out = new Array(ends.length);
  let start = 0;
  for (let k = 0; k < ends.length; k += 1) {
    const chunk = new Array(ends[k] - start);
    for (let j = start; j < ends[k]; j += 1) chunk[j - start] = ids[members[j]];
    out[k] = chunk;
    start = ends[k];
  }
  return out;
}

/**
 * `report.writeJson(path, indent?)`: the core streams the report to `path`. A bad
 * indent rejects with the core's `InvalidArgumentError` (nothing written); a failed
 * open or write with an `Error` naming the path, shaped as Node's `fs` errors are.
 */
async function writeJson(compact, path, indent) {
  const args = check.writeJsonArgs(path, indent);
  try {
    await compact.writeJson(args.path, args.indent);
  } catch (err) {
    throw ioError(err) ?? fromNative(err);
  }
}

/**
 * A failed open or write, rebuilt here (so the stack shows the caller) with the fields
 * of a Node `fs` error: `path`, `syscall`, and on Unix `errno` and its `code`.
 */
function ioError(err) {
  if (!(err instanceof Error) || typeof err.syscall !== 'string' || typeof err.path !== 'string') return null;
  const out = new Error(err.message);
  if (typeof err.errno === 'number') {
    out.errno = err.errno;
    out.code = getSystemErrorName(err.errno);
  }
  out.syscall = err.syscall;
  out.path = err.path;
  return out;
}

/** The native compact report behind a report from `buildReport` (for the tests). */
function compactOf(report) {
  return COMPACT.get(report);
}

module.exports = { buildReport, compactOf };
