"""authing_resign: Authing's batch user resignation, done right.

A drop-in for the official ``authing`` SDK's ``ManagementClient.resign_user_batch``
with typed results and exceptions, retries, timeouts that work, TLS verification on by
default, an asyncio client, and :meth:`ManagementClient.resign_users` for any number of
users with a per-user report. The work is done by a Rust core (``authing_resign._native``).
"""

from __future__ import annotations

import logging as _logging

from ._native import (
    BulkReport,
    BulkTotals,
    OutcomeError,
    ResignUserData,
    ResignUserResponse,
    UserOutcome,
    __version__,
)
from .client import AsyncManagementClient, ManagementClient

# The exception classes, exported as `errors.__all__` lists them: `__all__` starts as
# that list (type checkers read this form as its contents) and is copied before the
# names below are added, so `errors.__all__` itself is left as it is.
from .errors import *  # noqa: F403
from .errors import __all__ as __all__

# Importable as authing_resign.TimeoutError (the "as" form marks it exported for type
# checkers) but left out of __all__: `import *` must not shadow the builtin.
from .errors import TimeoutError as TimeoutError

from .types import Outcome, UserIdType

__all__ = list(__all__)  # the copy
__all__ += [
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
    "__version__",
]

# A library's logger gets a NullHandler (the logging HOWTO's advice): in an application
# that configured no logging, retry warnings are dropped instead of reaching stderr
# through logging's last-resort handler. Configure the "authing_resign" logger (or the
# root logger) to see them.
_logging.getLogger(__name__).addHandler(_logging.NullHandler())
