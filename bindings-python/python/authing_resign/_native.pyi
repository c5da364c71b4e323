"""Type declarations of the native module (hand-written; checked by mypy.stubtest)."""

import os
from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Tuple, Union, final

from .types import UserIdType

__version__: str
#: The core's ``userIdType`` wire values, in order.
USER_ID_TYPES: Tuple[str, ...]
#: The core's auth scheme names (``auth=``), in order.
AUTH_SCHEMES: Tuple[str, ...]
#: ``ResumeMismatchError.field`` values, as Python names them (the core's list).
RESUME_FIELDS: Tuple[str, ...]
#: The scheme used when ``auth`` is not given.
DEFAULT_AUTH_SCHEME: str

def error_fields() -> Dict[str, Tuple[str, ...]]:
    """The structured fields of each core error code, as ``authing_resign.errors`` names them."""
def _thread_clients() -> int:
    """Entries (clients' own-connection clones) the calling thread holds; for tests."""
__all__ = [
    "__version__",
    "USER_ID_TYPES",
    "AUTH_SCHEMES",
    "RESUME_FIELDS",
    "DEFAULT_AUTH_SCHEME",
    "error_fields",
    "_thread_clients",
    "BulkReport",
    "BulkTotals",
    "Client",
    "OutcomeError",
    "ResignUserData",
    "ResignUserResponse",
    "UserOutcome",
]

_UserIdType = Union[UserIdType, str]
_UserIds = Iterable[str]

@final
class ResignUserData:
    """``data`` of a resignation response."""

    @property
    def success(self) -> bool: ...
    def to_dict(self) -> Dict[str, bool]: ...

@final
class ResignUserResponse:
    """A successful resignation response (failures raise ``ApiError``)."""

    @property
    def status_code(self) -> int: ...
    @property
    def message(self) -> str: ...
    @property
    def api_code(self) -> Optional[int]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def data(self) -> ResignUserData: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class OutcomeError:
    """Why a user of a bulk job was not resigned."""

    @property
    def code(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def status_code(self) -> Optional[int]: ...
    @property
    def api_code(self) -> Optional[int]: ...
    @property
    def is_retryable(self) -> bool: ...
    @property
    def is_auth(self) -> bool: ...
    def to_dict(self) -> Dict[str, Any]: ...

@final
class UserOutcome:
    """One user's line of a bulk report."""

    @property
    def user_id(self) -> str: ...
    @property
    def outcome(self) -> str:
        """``resigned``, ``failed``, ``unknown``, ``invalid``, ``duplicate`` or ``not_attempted`` (equal to an ``Outcome``)."""
    @property
    def error(self) -> Optional[OutcomeError]: ...
    @property
    def request_id(self) -> Optional[str]: ...
    @property
    def verified(self) -> Optional[bool]:
        """``True``: seen by ``verify``/``verify_only``; ``False``: looked for, not confirmed; ``None``: not checked."""
    @property
    def status(self) -> Optional[str]:
        """The user's status the lookup showed (``Resigned``, ``Activated``, ...), if seen."""
    @property
    def verify_note(self) -> Optional[str]:
        """Why the user could not be verified (or how an ``unknown`` one was settled)."""
    @property
    def earlier_run(self) -> bool:
        """Resigned by an earlier run this job resumed (``resume_from``)."""
    def to_dict(self) -> Dict[str, Any]: ...

@final
class BulkTotals:
    """Counts per outcome."""

    @property
    def resigned(self) -> int: ...
    @property
    def failed(self) -> int: ...
    @property
    def unknown(self) -> int: ...
    @property
    def invalid(self) -> int: ...
    @property
    def duplicate(self) -> int: ...
    @property
    def not_attempted(self) -> int: ...
    def to_dict(self) -> Dict[str, int]: ...

@final
class BulkReport:
    """The per-user report of ``resign_users``."""

    @property
    def user_id_type(self) -> str: ...
    @property
    def dry_run(self) -> bool: ...
    @property
    def users(self) -> Tuple[UserOutcome, ...]: ...
    @property
    def totals(self) -> BulkTotals: ...
    @property
    def chunks(self) -> List[List[str]]: ...
    @property
    def http_calls(self) -> int: ...
    @property
    def elapsed_ms(self) -> int: ...
    @property
    def stopped_early(self) -> Optional[OutcomeError]: ...
    @property
    def verify_only(self) -> bool:
        """Whether this was a ``verify_only`` run (nobody resigned)."""
    @property
    def lookup_calls(self) -> int:
        """HTTP requests made to ``get-user-batch`` by ``verify`` / ``verify_only``."""
    @property
    def all_resigned(self) -> bool: ...
    def __len__(self) -> int: ...
    def user(self, index: int) -> UserOutcome:
        """The line of input index ``index`` (negative counts from the end), equal to
        ``users[index]``, made on its own without building ``users``; ``IndexError``
        past either end."""
    def to_json(self, indent: Optional[int] = None) -> str: ...
    def write_json(self, path: Union[str, "os.PathLike[str]"], indent: Optional[int] = None) -> None:
        """Writes ``to_json(indent)`` to the file ``path``, byte for byte, streamed
        through a buffer with the GIL released (the text is never whole in memory).
        A regular file is written beside ``path`` and renamed over it, so a failed
        write leaves no half report and replaces nothing; a device or pipe
        (``/dev/stdout``) is written in place. A bad ``indent`` raises
        ``InvalidArgumentError`` as ``to_json`` does; a failed create, write or rename
        raises ``OSError`` (``FileNotFoundError``, ``PermissionError``, ...) with
        ``filename`` set to ``path``."""
    def to_dict(self) -> Dict[str, Any]: ...

@final
class Client:
    """The native client behind ``ManagementClient`` (``blocking``: each call runs to
    completion and returns its result) and ``AsyncManagementClient`` (each call returns
    an awaitable of it)."""

    def __new__(cls, args: Mapping[str, Any], blocking: bool) -> "Client": ...
    def resign_user_batch(self, user_ids: _UserIds, user_id_type: Optional[_UserIdType] = None) -> Any: ...
    def resign_user(self, user_id: str, user_id_type: Optional[_UserIdType] = None) -> Any: ...
    def resign_users(
        self,
        user_ids: _UserIds,
        user_id_type: Optional[_UserIdType] = None,
        *,
        chunk_size: int = 50,
        concurrency: int = 4,
        dry_run: bool = False,
        on_progress: Optional[Callable[[int, int], object]] = None,
        deadline: Optional[float] = None,
        journal: Optional[Union[str, "os.PathLike[str]"]] = None,
        resume_from: Optional[Union[str, "os.PathLike[str]"]] = None,
        resume_force: bool = False,
        verify: bool = False,
        verify_only: bool = False,
    ) -> Any: ...
    def close(self) -> None: ...
    def repr(self, class_name: str) -> str: ...
