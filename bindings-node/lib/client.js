'use strict';
// ManagementClient: checks JavaScript types, forwards to the native client and turns
// native rejections into AuthingError subclasses. Holds no secret itself.

const { inspect } = require('node:util');
const native = require('../native.js');
const check = require('./validate');
const { CancelledError, fromNative } = require('./errors');
const { logSink, isThenable } = require('./logger');
const { buildReport } = require('./report');

/** Waits until `count()` reaches `target` or the event loop has turned `turns` times. */
async function drain(count, target, turns = 1000) {
  for (let i = 0; i < turns && count() < target; i += 1) {
    await new Promise((resolve) => setImmediate(resolve));
  }
}

class ManagementClient {
  #native;
  #log;

  constructor(options) {
    const nativeOptions = check.clientOptions(options);
    this.#log = logSink(options.logger);
    try {
      this.#native = new native.NativeClient(nativeOptions, this.#log?.deliver, this.#log?.levels);
    } catch (err) {
      throw fromNative(err);
    }
  }

  /**
   * Runs a native call, converting what it throws or rejects with; settles only after
   * the log records queued by then reached the logger (they travel on another queue).
   */
  async #forward(call) {
    try {
      return await call();
    } catch (err) {
      throw fromNative(err);
    } finally {
      if (this.#log) await drain(this.#log.delivered, this.#native.logRecordsQueued);
    }
  }

  /** Resigns 1 to 50 users in one call (`POST /api/v3/resign-user-batch`). */
  async resignUserBatch(request) {
    const args = check.batchRequest(request);
    // `return await`: a turn of the microtask queue fewer than returning the promise.
    return await this.#forward(() => this.#native.resignUserBatch(...args));
  }

  /** Resigns one user (`POST /api/v3/resign-user`). */
  async resignUser(request) {
    const args = check.userRequest(request);
    return await this.#forward(() => this.#native.resignUser(...args));
  }

  /** Resigns any number of users and reports each one's outcome. */
  async resignUsers(request) {
    const { native: req, ids, onProgress, signal } = check.bulkRequest(request);
    const token = new native.CancelToken();
    let delivered = 0;
    let callbackError;
    let callbackFailed = false;
    // Promises returned by an async onProgress, each already guarded; awaited before
    // the job settles so a late rejection is reported, never left unhandled.
    const pending = [];
    const fail = (err) => {
      if (callbackFailed) return;
      callbackFailed = true;
      callbackError = err;
      token.cancel();
    };
    // The native side calls this on the JS thread; it must never throw there, and an
    // unhandled rejection would end the process, so a throw or a rejected promise from
    // the user's callback is kept and cancels the job instead.
    const progress = onProgress
      ? (event) => {
          delivered += 1;
          if (callbackFailed) return;
          try {
            const result = onProgress(event);
            if (isThenable(result)) pending.push(Promise.resolve(result).then(undefined, fail));
          } catch (err) {
            fail(err);
          }
        }
      : undefined;
    const abort = () => token.cancel();
    if (signal?.aborted) token.cancel();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      const result = await this.#forward(() => this.#native.resignUsers(req, progress, token));
      // Progress events and the promise travel on different queues: deliver every
      // event before resolving, so `onProgress` never runs after the report is out.
      await drain(() => delivered, result.progressEvents);
      await Promise.all(pending);
      const report = buildReport(result.report, ids);
      if (callbackFailed) {
        throw new CancelledError(
          'resignUsers was cancelled because onProgress threw or rejected; see `cause` and `report`',
          { report },
          { cause: callbackError },
        );
      }
      return report;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** What `util.inspect` and `console.log` show: never the secret. */
  [inspect.custom]() {
    return `ManagementClient ${inspect(this.toJSON())}`;
  }

  /** What `JSON.stringify` shows: never the secret. */
  toJSON() {
    return { accessKeyId: this.#native.accessKeyId, host: this.#native.host, auth: this.#native.auth };
  }
}

module.exports = { ManagementClient };
