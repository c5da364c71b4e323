"""Exceptions raised by authing_resign.

Every failure of the SDK is an :class:`AuthingError`. The Rust core classifies the
failure once and the native module instantiates the matching class below with
structured fields, so callers branch on types and attributes, never on message text.
Every class pickles with its fields (``BaseException.__reduce__`` carries ``__dict__``),
which matters for multiprocessing pools and task queues.
"""

from __future__ import annotations

import builtins
from typing import Optional

# TimeoutError is left out: `from authing_resign.errors import *` must not shadow the
# builtin TimeoutError (import it by name).
__all__ = [
    "AuthingError",
    "InvalidArgumentError",
    "ConfigError",
    "ApiError",
    "TransportError",
    "DecodeError",
    "CancelledError",
    "JournalError",
    "ResumeMismatchError",
]


class AuthingError(Exception):
    """Base class of every error of this SDK.

    ``code`` is the stable machine-readable code of the core taxonomy
    (``invalid_argument``, ``config``, ``api_error``, ``timeout``, ``transport``,
    ``decode``, ``cancelled``); ``is_retryable`` says whether the same request may
    succeed if sent again; ``is_auth`` marks authentication failures. Both are plain
    ``bool`` attributes, not methods as in the Rust core and the other bindings.
    """

    code: str = "authing_error"
    #: Set per instance by the native module; class defaults for hand-made instances.
    is_retryable: bool = False
    is_auth: bool = False

    def __init__(self, text: str = "") -> None:
        super().__init__(text)

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


class InvalidArgumentError(AuthingError, ValueError):
    """Bad input caught locally, before any network call.

    ``field`` is the argument's Python keyword name (``user_ids``, ``user_id_type``,
    ``chunk_size``, ...), ``index`` the position in a list argument (or ``None``),
    ``reason`` the rule that was broken.
    """

    code = "invalid_argument"

    def __init__(
        self,
        text: str = "",
        *,
        field: str = "",
        index: Optional[int] = None,
        reason: str = "",
    ) -> None:
        super().__init__(text)
        self.field = field
        self.index = index
        self.reason = reason


class ConfigError(AuthingError, ValueError):
    """A client option is wrong (``option`` is its keyword name, ``reason`` says why)."""

    code = "config"

    def __init__(self, text: str = "", *, option: str = "", reason: str = "") -> None:
        super().__init__(text)
        self.option = option
        self.reason = reason


class ApiError(AuthingError):
    """Authing answered with a failure envelope.

    ``status_code`` is the envelope ``statusCode`` (400, 401, 403, 404, 429, 500, ...),
    ``api_code`` the envelope ``apiCode`` when sent (1300-1306 signature problems,
    2004 user not found, ...), ``message`` the server's message, ``request_id`` what
    Authing support asks for, ``http_status`` the HTTP status (200 for envelope failures).
    """

    code = "api_error"

    def __init__(
        self,
        text: str = "",
        *,
        status_code: int = 0,
        api_code: Optional[int] = None,
        message: str = "",
        request_id: Optional[str] = None,
        http_status: int = 0,
    ) -> None:
        super().__init__(text)
        self.status_code = status_code
        self.api_code = api_code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status


class TimeoutError(AuthingError, builtins.TimeoutError):
    """A deadline expired; ``phase`` is ``connect``, ``attempt``, ``total`` or ``job``."""

    code = "timeout"

    def __init__(self, text: str = "", *, phase: str = "") -> None:
        super().__init__(text)
        self.phase = phase


class TransportError(AuthingError, ConnectionError):
    """No response: connection refused, TLS failure, connection reset, proxy failure."""

    code = "transport"

    def __init__(self, text: str = "", *, message: str = "") -> None:
        super().__init__(text)
        self.message = message


class DecodeError(AuthingError):
    """The response was not Authing's JSON envelope (e.g. a proxy's HTML error page).

    ``http_status`` is the HTTP status, ``reason`` why decoding failed and ``snippet``
    the first characters of the body.
    """

    code = "decode"

    def __init__(
        self,
        text: str = "",
        *,
        http_status: int = 0,
        reason: str = "",
        snippet: str = "",
    ) -> None:
        super().__init__(text)
        self.http_status = http_status
        self.reason = reason
        self.snippet = snippet


class CancelledError(AuthingError):
    """The call or bulk job was cancelled."""

    code = "cancelled"


class JournalError(AuthingError, OSError):
    """The bulk job's ``journal`` could not be created (it exists, or its directory
    does not) or the ``resume_from`` file could not be read or is neither a journal nor
    a report; nothing was sent. ``path`` is the file, ``reason`` what went wrong."""

    code = "journal"

    def __init__(self, text: str = "", *, path: str = "", reason: str = "") -> None:
        super().__init__(text)
        self.path = path
        self.reason = reason


class ResumeMismatchError(AuthingError, ValueError):
    """``resume_from`` records another place or id type: ``field`` (``host``,
    ``access_key_id``, ``tenant_id`` or ``user_id_type``) is ``earlier`` there and
    ``now`` in this job. Nothing was sent; ``resume_force=True`` accepts another place,
    never another id type."""

    code = "resume_mismatch"

    def __init__(
        self,
        text: str = "",
        *,
        path: str = "",
        field: str = "",
        earlier: str = "",
        now: str = "",
    ) -> None:
        super().__init__(text)
        self.path = path
        self.field = field
        self.earlier = earlier
        self.now = now
