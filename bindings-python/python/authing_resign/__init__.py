"""authing_resign: Authing's batch user resignation, done right.

A drop-in for the official ``authing`` SDK's ``ManagementClient.resign_user_batch``
with typed results and exceptions, retries, timeouts that work, TLS verification on by
default, an asyncio client, and :meth:`ManagementClient.resign_users` for any number of
users with a per-user report. The work is done by a Rust core (``authing_resign._native``).
"""

from __future__ import annotations

from ._native import (
    AsyncManagementClient,
    BulkReport,
    BulkTotals,
    ManagementClient,
    OutcomeError,
    ResignUserData,
    ResignUserResponse,
    UserOutcome,
    __version__,
)
from .errors import (
    ApiError,
    AuthingError,
    CancelledError,
    ConfigError,
    DecodeError,
    InvalidArgumentError,
    JournalError,
    ResumeMismatchError,
    # Importable as authing_resign.TimeoutError (the "as" form marks it exported for type
    # checkers) but left out of __all__: `import *` must not shadow the builtin.
    TimeoutError as TimeoutError,
    TransportError,
)
from .types import Outcome, UserIdType

__all__ = [
    "ManagementClient",
    "AsyncManagementClient",
    "UserIdType",
    "Outcome",
    "ResignUserResponse",
    "ResignUserData",
    "BulkReport",
    "BulkTotals",
    "UserOutcome",
    "OutcomeError",
    "AuthingError",
    "InvalidArgumentError",
    "ConfigError",
    "ApiError",
    "TransportError",
    "DecodeError",
    "CancelledError",
    "JournalError",
    "ResumeMismatchError",
    "__version__",
]
