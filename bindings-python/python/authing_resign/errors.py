"""Exceptions raised by authing_resign.

Every failure of the SDK is an :class:`AuthingError`. The Rust core classifies the
failure once and the native module instantiates the matching class below with
structured fields, so callers branch on types and attributes, never on message text.
Every class pickles with its fields (``BaseException.__reduce__`` carries ``__dict__``),
which matters for multiprocessing pools and task queues.
"""

from __future__ import annotations

import builtins
import inspect
from typing import Any, ClassVar, Dict, Literal, Optional, Tuple, Type

# TimeoutError is left out: `from authing_resign.errors import *` must not shadow the
# builtin TimeoutError (import it by name).
__all__ = [
    "AuthingError",
    "InvalidArgumentError",
    "ConfigError",
    "ApiError",
    "ApiRejectedError",
    "TransportError",
    "DecodeError",
    "AuthingCancelledError",
    "JournalError",
    "ResumeMismatchError",
]


def _own_fields(cls: type) -> Tuple[str, ...]:
    """The attributes a class annotates itself, in order: its structured fields."""
    get = getattr(inspect, "get_annotations", None)  # Python >= 3.10
    own = get(cls) if get is not None else cls.__dict__.get("__annotations__", {})
    return tuple(name for name in own if not name.startswith("_"))


class AuthingError(Exception):
    """Base class of every error of this SDK.

    ``code`` is the stable machine-readable code of the core taxonomy
    (``invalid_argument``, ``config``, ``api_error``, ``timeout``, ``transport``,
    ``decode``, ``cancelled``); ``is_retryable`` says whether the same request may
    succeed if sent again; ``is_auth`` marks authentication failures. Both are plain
    ``bool`` attributes, not methods as in the Rust core and the other bindings.

    Each subclass declares its structured fields as annotated class attributes (with
    their defaults); the constructor takes exactly those as keyword arguments. The
    native module fills them from the core's error payload, and a test holds each
    class's fields to the core's.
    """

    code: str = "authing_error"
    #: Set per instance by the native module; class defaults for hand-made instances.
    is_retryable: bool = False
    is_auth: bool = False
    #: The structured fields of the class (its own annotations), in order.
    _fields: ClassVar[Tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        cls._fields = _own_fields(cls)

    def __init__(self, text: str = "", **fields: Any) -> None:
        super().__init__(text)
        unknown = sorted(set(fields) - set(self._fields))
        if unknown:
            raise TypeError(f"{type(self).__name__}() got unexpected keyword argument(s): {', '.join(unknown)}")
        for name in self._fields:
            setattr(self, name, fields.get(name, getattr(type(self), name)))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(AuthingError, ValueError):
    """Bad input caught locally, before any network call.

    ``field`` is the argument's Python keyword name (``user_ids``, ``user_id_type``,
    ``chunk_size``, ...), ``index`` the position in a list argument (or ``None``),
    ``reason`` the rule that was broken.
    """

    code = "invalid_argument"
    field: str = ""
    index: Optional[int] = None
    reason: str = ""


class ConfigError(AuthingError, ValueError):
    """A client option is wrong (``option`` is its keyword name, ``reason`` says why)."""

    code = "config"
    option: str = ""
    reason: str = ""


class ApiError(AuthingError):
    """Authing answered with a failure envelope.

    ``status_code`` is the envelope ``statusCode`` (400, 401, 403, 404, 429, 500, ...),
    ``api_code`` the envelope ``apiCode`` when sent (1300-1306 signature problems,
    2004 user not found, ...), ``message`` the server's message, ``request_id`` what
    Authing support asks for, ``http_status`` the HTTP status (200 for envelope failures).
    """

    code = "api_error"
    status_code: int = 0
    api_code: Optional[int] = None
    message: str = ""
    request_id: Optional[str] = None
    http_status: int = 0


class ApiRejectedError(AuthingError):
    """Authing answered ``statusCode`` 200 with ``data.success: false``: it accepted the
    request and did not do it (never retried). ``message`` is the server's message,
    ``request_id`` what Authing support asks for.
    """

    code = "api_rejected"
    message: str = ""
    request_id: Optional[str] = None


class TimeoutError(AuthingError, builtins.TimeoutError):
    """A deadline expired; ``phase`` is ``connect``, ``attempt``, ``total`` or ``job``."""

    code = "timeout"
    phase: str = ""


class TransportError(AuthingError, ConnectionError):
    """No response: connection refused, TLS failure, connection reset, proxy failure."""

    code = "transport"
    message: str = ""


class DecodeError(AuthingError):
    """The response was not Authing's JSON envelope (e.g. a proxy's HTML error page).

    ``http_status`` is the HTTP status, ``reason`` why decoding failed and ``snippet``
    the first characters of the body.
    """

    code = "decode"
    http_status: int = 0
    reason: str = ""
    snippet: str = ""


class JournalError(AuthingError, OSError):
    """The job's journal (``journal=``) or the record given to resume from could not be
    created, written or read; ``path`` is the file, ``reason`` what went wrong."""

    code = "journal"
    path: str = ""
    reason: str = ""


#: What a job resumed from a record must share with it: the keyword argument compared
#: (``_native.RESUME_FIELDS``, the core's list; a test holds this type to it).
ResumeField = Literal["user_id_type", "host", "access_key_id", "tenant_id"]


class ResumeMismatchError(AuthingError, ValueError):
    """The record to resume from is of another place or id type: ``field`` (``host``,
    ``access_key_id``, ``tenant_id`` or ``user_id_type``, the keyword argument compared)
    was ``earlier`` there and is ``now`` here; ``path`` is the file."""

    code = "resume_mismatch"
    path: str = ""
    field: ResumeField = "host"
    earlier: str = ""
    now: str = ""


class AuthingCancelledError(AuthingError):
    """The SDK stopped a call or bulk job on request (a Rust-side cancellation).

    Named apart from :class:`asyncio.CancelledError` on purpose, and not a subclass of
    it: cancelling an asyncio task that awaits this SDK raises ``asyncio.CancelledError``
    as usual, while this exception means the Rust core itself stopped a call it had
    started (its own cancellation). Catch it like any other :class:`AuthingError`.
    """

    code = "cancelled"


#: The earlier name of :class:`AuthingCancelledError`, kept working (not in ``__all__``,
#: so ``import *`` never brings a second ``CancelledError`` beside asyncio's).
CancelledError = AuthingCancelledError


#: The class of each core error code (every direct subclass above).
_BY_CODE: Dict[str, Type[AuthingError]] = {cls.code: cls for cls in AuthingError.__subclasses__()}


def _from_native(code: str, text: str, retryable: bool, auth: bool, fields: Dict[str, Any]) -> AuthingError:
    """Builds the exception of a core error payload (called by the native module).

    A code this version does not know still arrives as an ``AuthingError`` with it.
    """
    cls = _BY_CODE.get(code, AuthingError)
    exc = cls(text, **fields) if cls is not AuthingError else cls(text)
    exc.code = code
    exc.is_retryable = retryable
    exc.is_auth = auth
    return exc
