// `authing-resign/errors`: the error classes alone (loading them does not load the
// native addon). The same classes as the package's main entry exports.
export {
  AuthingError,
  InvalidArgumentError,
  ConfigError,
  ApiError,
  TimeoutError,
  TransportError,
  ApiRejectedError,
  DecodeError,
  CancelledError,
  JournalError,
  ResumeMismatchError,
  ResumeField,
} from './index';
