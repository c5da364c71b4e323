"""The two public clients, over one native client (``authing_resign._native.Client``).

The constructor and the calls are written once (:class:`_Client`); each call converts
its arguments in Rust at once (so a wrong type raises before anything is awaited), then
runs blocking with the GIL released (the native client of :class:`ManagementClient`)
or returns an asyncio awaitable (that of :class:`AsyncManagementClient`).
"""

from __future__ import annotations

import os
from types import FunctionType
from typing import Any, Awaitable, Callable, ClassVar, Generic, Iterable, Mapping, Optional, TypeVar, Union, final, get_args, get_origin

from . import _native
from ._native import BulkReport, ResignUserResponse
from .types import UserIdType

__all__ = ["ManagementClient", "AsyncManagementClient"]

_UserIdType = Union[UserIdType, str]
_CaCert = Union[bytes, str, "os.PathLike[str]"]
_OnProgress = Optional[Callable[[int, int], object]]
_Path = Union[str, "os.PathLike[str]"]
#: What a single call returns: ``ResignUserResponse``, or an awaitable of it.
_Response = TypeVar("_Response")
#: What ``resign_users`` returns: ``BulkReport``, or an awaitable of it.
_Report = TypeVar("_Report")


def _spelled(t: Any) -> str:
    """A type as this module's annotations spell it: ``Awaitable[BulkReport]``."""
    args = ", ".join(map(_spelled, get_args(t)))
    return f"{get_origin(t).__name__}[{args}]" if args else str(t.__name__)


class _Client(Generic[_Response, _Report]):
    """What both clients share: the constructor, the calls and the native client.

    A public class names what its calls return (``_Client[ResignUserResponse,
    BulkReport]``) and whether they block (``_BLOCKING``).
    """

    __slots__ = ("_native",)
    #: Whether the native client runs each call to completion (or returns awaitables).
    _BLOCKING: ClassVar[bool]

    def __init__(
        self,
        access_key_id: str,
        access_key_secret: str,
        host: Optional[str] = None,
        timeout: Optional[float] = 10.0,
        lang: Optional[str] = None,
        use_unverified_ssl: bool = False,
        websocket_host: Optional[str] = None,
        websocket_endpoint: Optional[str] = None,
        *,
        tenant_id: Optional[str] = None,
        auth: str = _native.DEFAULT_AUTH_SCHEME,
        max_retries: int = 3,
        connect_timeout: Optional[float] = None,
        ca_cert: Optional[_CaCert] = None,
        proxy: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        max_response_bytes: Optional[int] = None,
    ) -> None:
        # The official client's parameters, so its calls migrate unchanged; the
        # websocket ones are accepted and have no effect (no event socket here).
        # ``auth`` names a scheme of the core (``_native.AUTH_SCHEMES``);
        # ``max_response_bytes=None`` keeps the core's cap (1 MiB).
        arguments: dict[str, Any] = dict(locals())
        for unused in ("self", "websocket_host", "websocket_endpoint"):
            del arguments[unused]
        self._native = _native.Client(arguments, self._BLOCKING)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Each public class gets its own copy of the calls, annotated with what they
        # return there, so that `inspect.signature` and `help()` show `'BulkReport'` (or
        # `'Awaitable[BulkReport]'`) rather than a type variable.
        generic = cls.__orig_bases__[0]  # type: ignore[attr-defined]
        returns = dict(zip(("_Response", "_Report"), map(_spelled, get_args(generic))))
        for name in ("resign_user_batch", "resign_user", "resign_users"):
            shared = getattr(_Client, name)
            own = FunctionType(shared.__code__, shared.__globals__, name, shared.__defaults__)
            own.__kwdefaults__ = shared.__kwdefaults__
            own.__doc__ = shared.__doc__
            own.__qualname__ = f"{cls.__qualname__}.{name}"
            own.__annotations__ = {**shared.__annotations__, "return": returns[shared.__annotations__["return"]]}
            setattr(cls, name, own)

    def __repr__(self) -> str:
        return self._native.repr(type(self).__name__)

    def resign_user_batch(self, user_ids: Iterable[str], user_id_type: Optional[_UserIdType] = None) -> _Response:
        """Resigns up to 50 users in one call (``POST /api/v3/resign-user-batch``)."""
        result: _Response = self._native.resign_user_batch(user_ids, user_id_type)
        return result

    def resign_user(self, user_id: str, user_id_type: Optional[_UserIdType] = None) -> _Response:
        """Resigns one user (``POST /api/v3/resign-user``)."""
        result: _Response = self._native.resign_user(user_id, user_id_type)
        return result

    def resign_users(
        self,
        user_ids: Iterable[str],
        user_id_type: Optional[_UserIdType] = None,
        *,
        chunk_size: int = 50,
        concurrency: int = 4,
        dry_run: bool = False,
        on_progress: _OnProgress = None,
        deadline: Optional[float] = None,
        journal: Optional[_Path] = None,
        resume_from: Optional[_Path] = None,
        resume_force: bool = False,
        verify: bool = False,
        verify_only: bool = False,
    ) -> _Report:
        """Resigns any number of users of one id type and reports each one's outcome.

        ``journal`` writes the job's write-ahead journal there; ``resume_from`` skips the
        users an earlier run's journal (or report) records as resigned. ``verify`` reads
        the users back after sending (``get-user-batch``) and settles each line by the
        status seen (``UserOutcome.verified``, ``.status``, ``.verify_note``);
        ``verify_only`` resigns nobody and reports each user's status. A first Ctrl-C
        stops new chunks and raises ``KeyboardInterrupt`` with the partial report as
        ``.report``; an exception from ``on_progress`` carries it too.
        """
        arguments = dict(locals())
        del arguments["self"]
        report: _Report = self._native.resign_users(**arguments)
        return report


@final
class ManagementClient(_Client[ResignUserResponse, BulkReport]):
    """Blocking client; calls release the GIL and one instance is safe to share between threads."""

    __slots__ = ()
    _BLOCKING = True

    def close(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    def __enter__(self) -> "ManagementClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self._native.close()


@final
class AsyncManagementClient(_Client[Awaitable[ResignUserResponse], Awaitable[BulkReport]]):
    """asyncio client: the same constructor and methods, returning awaitables."""

    __slots__ = ()
    _BLOCKING = False

    async def aclose(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    async def __aenter__(self) -> "AsyncManagementClient":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._native.close()
