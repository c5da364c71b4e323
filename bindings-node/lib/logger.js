'use strict';
// The `logger` option: hands the core's log records (delivered on the JS thread) to a
// pino-, bunyan-, winston- or console-shaped object, and counts them so a call can
// settle only after its records were handed over. A logger can never break a call:
// whatever it throws or rejects with is dropped here.

const native = require('../native.js');

/** The logger methods records are delivered to, as the native side names the levels. */
const LEVELS = native.logLevels();

function isThenable(value) {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof value.then === 'function';
}

/** `logger[name]` when it is a function; a throwing getter counts as missing. */
function method(logger, name) {
  try {
    const m = logger[name];
    return typeof m === 'function' ? m : undefined;
  } catch {
    return undefined;
  }
}

/**
 * `{ deliver, levels, delivered }` for a logger, or undefined without one. Objects with
 * a `log` method (winston, console) take `(message, fields)`; others (pino, bunyan)
 * `(fields, message)`, each library's own convention for structured data.
 */
function logSink(logger) {
  if (logger === undefined || logger === null) return undefined;
  if (typeof logger !== 'object' && typeof logger !== 'function') {
    throw new TypeError(`\`logger\` must be an object with debug/info/warn/error methods, got ${typeof logger}`);
  }
  const messageFirst = method(logger, 'log') !== undefined;
  let delivered = 0;
  const deliver = (record) => {
    delivered += 1;
    try {
      const log = method(logger, record.level);
      if (log === undefined) return;
      const result = messageFirst
        ? log.call(logger, record.message, record.fields)
        : log.call(logger, record.fields, record.message);
      // An async logger's rejection must not become an unhandled rejection.
      if (isThenable(result)) Promise.resolve(result).then(undefined, () => {});
    } catch {
      // A broken logger must not break the call that logged, nor the process.
    }
  };
  return { deliver, levels: LEVELS.filter((l) => method(logger, l) !== undefined), delivered: () => delivered };
}

module.exports = { logSink, isThenable };
