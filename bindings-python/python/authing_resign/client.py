"""The two public clients, over one native client (``authing_resign._native.Client``).

The constructor is written once (:class:`_Client`); each method converts its arguments
in Rust at once (so a wrong type raises before anything is awaited) and returns a
prepared call that :class:`ManagementClient` runs blocking (the GIL released) and
:class:`AsyncManagementClient` hands to asyncio.
"""

from __future__ import annotations

import os
from typing import Any, Awaitable, Callable, Dict, Iterable, Mapping, Optional, Union, final

from . import _native
from ._native import BulkReport, ResignUserResponse
from .types import UserIdType

__all__ = ["ManagementClient", "AsyncManagementClient"]

_UserIdType = Union[UserIdType, str]
_CaCert = Union[bytes, str, "os.PathLike[str]"]
_OnProgress = Optional[Callable[[int, int], object]]
_Path = Union[str, "os.PathLike[str]"]


class _Client:
    """What both clients share: the constructor and the native client."""

    __slots__ = ("_native",)

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
        self._native = _native.Client(arguments)

    def __repr__(self) -> str:
        return self._native.repr(type(self).__name__)

    def _prepare_bulk(self, arguments: Dict[str, Any]) -> _native.Call:
        """The native call of either client's ``resign_users``, given its ``locals()``
        (the parameters are declared on each public method, for type checkers)."""
        del arguments["self"]
        return self._native.resign_users(**arguments)


@final
class ManagementClient(_Client):
    """Blocking client; calls release the GIL and one instance is safe to share between threads."""

    __slots__ = ()

    def resign_user_batch(
        self, user_ids: Iterable[str], user_id_type: Optional[_UserIdType] = None
    ) -> ResignUserResponse:
        """Resigns up to 50 users in one call (``POST /api/v3/resign-user-batch``)."""
        result: ResignUserResponse = self._native.resign_user_batch(user_ids, user_id_type).wait()
        return result

    def resign_user(self, user_id: str, user_id_type: Optional[_UserIdType] = None) -> ResignUserResponse:
        """Resigns one user (``POST /api/v3/resign-user``)."""
        result: ResignUserResponse = self._native.resign_user(user_id, user_id_type).wait()
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
    ) -> BulkReport:
        """Resigns any number of users of one id type and reports each one's outcome.

        ``journal`` writes the job's write-ahead journal there; ``resume_from`` skips the
        users an earlier run's journal (or report) records as resigned. ``verify`` reads
        the users back after sending (``get-user-batch``) and settles each line by the
        status seen (``UserOutcome.verified``, ``.status``, ``.verify_note``);
        ``verify_only`` resigns nobody and reports each user's status. A first Ctrl-C
        stops new chunks and raises ``KeyboardInterrupt`` with the partial report as
        ``.report``; an exception from ``on_progress`` carries it too.
        """
        call = self._prepare_bulk(dict(locals()))
        report: BulkReport = call.wait()
        return report

    def close(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    def __enter__(self) -> "ManagementClient":
        return self

    def __exit__(self, *_exc: object) -> None:
        self._native.close()


@final
class AsyncManagementClient(_Client):
    """asyncio client: the same constructor and methods, returning awaitables."""

    __slots__ = ()

    def resign_user_batch(
        self, user_ids: Iterable[str], user_id_type: Optional[_UserIdType] = None
    ) -> Awaitable[ResignUserResponse]:
        """Resigns up to 50 users in one call; an awaitable."""
        return self._native.resign_user_batch(user_ids, user_id_type).awaitable()

    def resign_user(self, user_id: str, user_id_type: Optional[_UserIdType] = None) -> Awaitable[ResignUserResponse]:
        """Resigns one user; an awaitable."""
        return self._native.resign_user(user_id, user_id_type).awaitable()

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
    ) -> Awaitable[BulkReport]:
        """Resigns any number of users and reports each one's outcome; an awaitable."""
        call = self._prepare_bulk(dict(locals()))
        return call.awaitable()

    async def aclose(self) -> None:
        """Releases the connection pool; later calls raise ``RuntimeError``."""
        self._native.close()

    async def __aenter__(self) -> "AsyncManagementClient":
        return self

    async def __aexit__(self, *_exc: object) -> None:
        self._native.close()
