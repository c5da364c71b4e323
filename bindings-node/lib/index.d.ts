// Type declarations of `authing-resign`. The option, request, response, error-entry
// and progress shapes are generated from the Rust sources by the napi CLI
// (`../native.d.ts`, with their doc comments); the client, the report (built in
// `report.js`), UserIdType and the error classes are declared here.

import type {
  BulkProgress,
  BulkTotals,
  ClientOptions as NativeClientOptions,
  OutcomeError,
  ResignUserBatchRequest,
  ResignUserData,
  ResignUserRequest,
  ResignUserResponse,
  ResignUsersRequest as NativeResignUsersRequest,
} from '../native';

export type {
  BulkProgress,
  BulkTotals,
  OutcomeError,
  ResignUserBatchRequest,
  ResignUserData,
  ResignUserRequest,
  ResignUserResponse,
};

/** Options of `new ManagementClient(options)`; `caCert` may also be a Buffer. */
export interface ClientOptions extends Omit<NativeClientOptions, 'caCert'> {
  /** An extra trusted root certificate (PEM text or its bytes). */
  caCert?: string | Buffer;
  /**
   * Where this client's log events go (retries, attempt failures, token fetches, call
   * results): a pino-, bunyan-, winston- or console-shaped object. Each event calls
   * the method of its level with structured fields and a message, never a secret,
   * token or signature. Missing methods are skipped; a method that throws is ignored.
   */
  logger?: Logger;
}

/** A log level of the events `logger` receives (the core's `tracing` levels; trace is `debug`). */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * The structured fields of one log event, as a logger method receives them: `target`
 * (the core module) and the event's own fields as the core names them (`path`,
 * `attempt`, `delay_ms`, `status`, `api_code`, `request_id`, `error`, `ok`, ...).
 */
export interface LogFields {
  target: string;
  [field: string]: string | number | boolean | null;
}

/**
 * A logger as pino, bunyan, winston and `console` shape it: any of `debug`, `info`,
 * `warn`, `error`. Objects with a `log` method (winston, `console`) are called as
 * `logger.warn(message, fields)`; others (pino, bunyan) as `logger.warn(fields, message)`.
 */
export type Logger = { [L in LogLevel]?: (...args: any[]) => unknown };
// `LogFields` is what the methods receive; they stay `any[]` so that pino's, winston's
// and console's overloaded signatures are all assignable.

/** The bulk outcomes, a string-literal union in TypeScript and a frozen object at run time. */
export type Outcome = (typeof Outcome)[keyof typeof Outcome];
export declare const Outcome: {
  readonly RESIGNED: 'resigned';
  readonly FAILED: 'failed';
  readonly UNKNOWN: 'unknown';
  readonly INVALID: 'invalid';
  readonly DUPLICATE: 'duplicate';
  readonly NOT_ATTEMPTED: 'not_attempted';
};

/** The authentication schemes (option `auth`), a union type and a frozen object at run time. */
export type AuthScheme = (typeof AuthScheme)[keyof typeof AuthScheme];
export declare const AuthScheme: {
  readonly SIGNATURE: 'signature';
  readonly TOKEN: 'token';
};

/**
 * How user ids are interpreted: a string-literal union in TypeScript
 * (`'user_id' | 'email' | …`) and a frozen object at run time (`UserIdType.EMAIL`).
 */
export type UserIdType = (typeof UserIdType)[keyof typeof UserIdType];
export declare const UserIdType: {
  readonly USER_ID: 'user_id';
  readonly EXTERNAL_ID: 'external_id';
  readonly PHONE: 'phone';
  readonly EMAIL: 'email';
  readonly USERNAME: 'username';
  readonly IDENTITY: 'identity';
  readonly SYNC_RELATION: 'sync_relation';
  readonly CUSTOM_FIELD: 'custom_field';
};

/**
 * One user's line in the report. Users decided by one call share its `requestId` and
 * the same `error` object (copy it before changing it).
 */
export interface UserOutcome {
  /** The id as given. */
  userId: string;
  /** What happened: one of the core's outcomes (`outcomes()`, the `Outcome` constants). */
  outcome: Outcome;
  /**
   * Whether `verify` / `verifyOnly` confirmed the outcome by reading the user back:
   * `true` (seen; the outcome follows the status seen), `false` (looked for, not
   * confirmed: see `verifyNote`), `null` (not checked).
   */
  verified: boolean | null;
  /** The user's `status` the lookup showed (`Resigned`, `Activated`, ...), or null. */
  status: string | null;
  /**
   * What `verify` noted: why the user could not be verified (`verified` false), or
   * how a lost answer was settled by the lookup; else null.
   */
  verifyNote: string | null;
  /** Resigned by an earlier run this job resumed (`resumeFrom`), not by this one. */
  earlierRun: boolean;
  /** Why, for `failed`, `invalid`, `duplicate` and `not_attempted`. */
  error?: OutcomeError;
  /** Request id of the call that decided the outcome, if any. */
  requestId?: string;
}

/**
 * The result of `resignUsers`: a plain object (spread, `structuredClone`,
 * `JSON.stringify` and `postMessage` keep all of it), one entry per input id, in input
 * order, and a non-enumerable `writeJson` method.
 */
export interface BulkReport {
  /** The id type used. */
  userIdType: UserIdType;
  /** Whether this was a dry run (nothing sent). */
  dryRun: boolean;
  /** One entry per input id, in input order. */
  users: UserOutcome[];
  /** Counts per outcome. */
  totals: BulkTotals;
  /** The chunks planned (ids per chunk, in order), before any splitting. */
  chunks: string[][];
  /**
   * HTTP requests made to the resignation endpoint (retries and split calls included;
   * a call cut by the job deadline counts as one).
   */
  httpCalls: number;
  /** Wall time of the job, in milliseconds. */
  elapsedMs: number;
  /** Whether this was a `verifyOnly` run (nobody resigned). */
  verifyOnly: boolean;
  /** HTTP requests made to `get-user-batch` by `verify` / `verifyOnly`. */
  lookupCalls: number;
  /** Why the job stopped early, if it did (`code` `cancelled` after an abort). */
  stoppedEarly?: OutcomeError;
  /**
   * Streams the report to `path` as the core's JSON (`BulkReport::to_json`, as the
   * CLI's `--report` and Python's `write_json` write it: snake_case keys, what
   * `resumeFrom` reads), not `JSON.stringify(report)`'s camelCase. Written by the core
   * through a buffer on a worker thread, never built whole in memory; the file is
   * created or replaced.
   * `indent` (0 to 16 spaces) pretty-prints; without it the JSON is compact. A bad
   * `indent` rejects with `InvalidArgumentError` (`field` `indent`) and writes
   * nothing; a file that cannot be opened or written rejects with an `Error` naming
   * the path, with `path`, `syscall` (`open` or `write`) and, on Unix, `errno` and
   * `code` (`ENOENT`, `EACCES`, `ENOSPC`, ...) as Node's `fs` errors have them.
   * Not enumerable: spread and `structuredClone` copies do not have it.
   */
  writeJson(path: string, indent?: number | null): Promise<void>;
}

/** Options of `resignUsers`. */
export interface ResignUsersRequest extends NativeResignUsersRequest {
  /**
   * Called on the main thread after each chunk. If it throws, or returns a promise
   * that rejects, the job is cancelled (chunks in flight finish) and `resignUsers`
   * rejects with a `CancelledError` whose `cause` is the exception and whose `report`
   * says what happened to each user. Returned promises are not awaited between
   * chunks, but `resignUsers` settles only after every one of them has settled.
   */
  onProgress?: (progress: BulkProgress) => void | Promise<void>;
  /**
   * Aborting stops the job before its next chunk; `resignUsers` then resolves with a
   * report whose `stoppedEarly.code` is `cancelled` and whose unsent users are
   * `not_attempted`.
   */
  signal?: AbortSignal;
}

/**
 * A client of Authing's Management API for user resignation, shaped like the
 * official `authing-node-sdk` 4.0.1 `ManagementClient`. Unlike it, nothing touches
 * global state, and failures are thrown (as `AuthingError` subclasses), never returned.
 * One client shares one connection pool and one token cache across all its calls.
 */
export declare class ManagementClient {
  /** Validates the options; a bad option throws `ConfigError`, a wrong type `TypeError`. */
  constructor(options: ClientOptions);
  /**
   * Resigns 1 to 50 users in one call (`POST /api/v3/resign-user-batch`). Retried on
   * 429, 5xx and connection failures. Rejects with `InvalidArgumentError` (before any
   * network call), `ApiError`, `TimeoutError`, `TransportError` or `DecodeError`.
   */
  resignUserBatch(request: ResignUserBatchRequest): Promise<ResignUserResponse>;
  /** Resigns one user (`POST /api/v3/resign-user`); errors as `resignUserBatch`. */
  resignUser(request: ResignUserRequest): Promise<ResignUserResponse>;
  /**
   * Resigns any number of users: invalid ids are reported and never sent, duplicates
   * are reported, the rest go in chunks with bounded concurrency; a failing chunk is
   * split until the failing users are named. Rejects only for bad options (or a
   * throwing `onProgress`); everything else is in the report.
   */
  resignUsers(request: ResignUsersRequest): Promise<BulkReport>;
  /** `{ accessKeyId, host, auth }`: never the secret. */
  toJSON(): { accessKeyId: string; host: string; auth: AuthScheme };
}

/** Base class of every error this package throws. */
export declare class AuthingError extends Error {
  /** `invalid_argument`, `config`, `api_error`, `timeout`, `transport`, `decode` or `cancelled`. */
  readonly code: string;
  /** Whether the same request may succeed if retried (429, 5xx, timeouts, transport). */
  isRetryable(): boolean;
  /** Whether this is an authentication or authorization failure (401/403, apiCode 1300-1306). */
  isAuth(): boolean;
}

/** Bad input, caught locally before any network call. */
export declare class InvalidArgumentError extends AuthingError {
  readonly code: 'invalid_argument';
  /** The argument, e.g. `userIds`. */
  readonly field: string;
  /** Index in the list, when the argument is a list. */
  readonly index: number | null;
  /** The rule that was broken. */
  readonly reason: string;
}

/** A client option is wrong. */
export declare class ConfigError extends AuthingError {
  readonly code: 'config';
  /** The option's name, e.g. `host`. */
  readonly option: string;
  /** What is wrong with it. */
  readonly reason: string;
}

/** Authing answered with a failure envelope (or kept failing past the retries). */
export declare class ApiError extends AuthingError {
  readonly code: 'api_error';
  /** Envelope `statusCode` (400, 401, 403, 404, 429, 500, …). */
  readonly statusCode: number;
  /** Envelope `apiCode` (1300-1306, 2004, …), or null. */
  readonly apiCode: number | null;
  /** Envelope `message`, in the configured language. */
  readonly apiMessage: string;
  /** Envelope `requestId` (what Authing support asks for), or null. */
  readonly requestId: string | null;
  /** HTTP status of the response (200 for envelope failures). */
  readonly httpStatus: number;
}

/** Authing answered statusCode 200 with `data.success: false`: accepted, not done. */
export declare class ApiRejectedError extends AuthingError {
  readonly code: 'api_rejected';
  /** Envelope `message`, in the configured language. */
  readonly apiMessage: string;
  /** Envelope `requestId` (what Authing support asks for), or null. */
  readonly requestId: string | null;
}

/** A deadline expired. */
export declare class TimeoutError extends AuthingError {
  readonly code: 'timeout';
  /** Which one: `connect`, `attempt`, `total` or `job`. */
  readonly phase: 'connect' | 'attempt' | 'total' | 'job';
}

/** No response: connection refused, TLS failure, reset. */
export declare class TransportError extends AuthingError {
  readonly code: 'transport';
  /** What failed (the message without its `transport error: ` prefix). */
  readonly detail: string;
}

/** The response was not the JSON envelope (e.g. a proxy's HTML error page). */
export declare class DecodeError extends AuthingError {
  readonly code: 'decode';
  /** HTTP status of the response. */
  readonly httpStatus: number;
  /** Why decoding failed. */
  readonly reason: string;
  /** The first characters of the body. */
  readonly snippet: string;
}

/** The job's journal or the record to resume from could not be created, written or read. */
export declare class JournalError extends AuthingError {
  readonly code: 'journal';
  /** The file. */
  readonly path: string;
  /** What went wrong. */
  readonly reason: string;
}

/** What a job resumed from a record must share with it: a client option or `userIdType`. */
export type ResumeField = 'userIdType' | 'host' | 'accessKeyId' | 'tenantId';

/** The record to resume from is of another place or id type. */
export declare class ResumeMismatchError extends AuthingError {
  readonly code: 'resume_mismatch';
  /** The file. */
  readonly path: string;
  /**
   * What differs, named as the option or argument you passed (`tenantId`, not the
   * journal's `tenant_id`; before 0.2 this was the journal's name).
   */
  readonly field: ResumeField;
  /** The value the file records. */
  readonly earlier: string;
  /** This job's value. */
  readonly now: string;
}

/** The call or job was cancelled. */
export declare class CancelledError extends AuthingError {
  readonly code: 'cancelled';
  /** The partial report, when `resignUsers` was cancelled by a throwing `onProgress`. */
  readonly report: BulkReport | null;
}

/** The package version. */
export declare const VERSION: string;
