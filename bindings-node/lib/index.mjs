// ES module entry point of `authing-resign`: the same objects as the CommonJS entry
// (one native addon, one set of classes, so `instanceof` agrees across both).
import cjs from './index.js';

export const {
  ManagementClient,
  UserIdType,
  Outcome,
  AuthScheme,
  AuthingError,
  InvalidArgumentError,
  ConfigError,
  ApiError,
  ApiRejectedError,
  TimeoutError,
  TransportError,
  DecodeError,
  CancelledError,
  JournalError,
  ResumeMismatchError,
  VERSION,
} = cjs;
export default cjs;
