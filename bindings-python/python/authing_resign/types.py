"""Enumerations of the wire values (plain strings are accepted wherever these are)."""

from __future__ import annotations

from enum import Enum

__all__ = ["UserIdType", "Outcome"]


class _WireValue(str, Enum):
    """A ``str`` enum of wire values; ``str()`` of a member is its value."""

    def __str__(self) -> str:
        return str(self.value)


class UserIdType(_WireValue):
    """How the ids of a call are interpreted (the ``userIdType`` wire values)."""

    #: Authing user id, e.g. ``6319a1504f3xxxxf214dd5b7`` (the server default).
    USER_ID = "user_id"
    #: The user's ``externalId``.
    EXTERNAL_ID = "external_id"
    #: Phone number.
    PHONE = "phone"
    #: Email address.
    EMAIL = "email"
    #: Username.
    USERNAME = "username"
    #: External identity, ``<extIdpId>:<userIdInIdp>``.
    IDENTITY = "identity"
    #: Sync relation, ``<provider>:<userIdInProvider>``.
    SYNC_RELATION = "sync_relation"
    #: A custom field value.
    CUSTOM_FIELD = "custom_field"


class Outcome(_WireValue):
    """What happened to one user of a bulk job (``UserOutcome.outcome`` compares equal)."""

    #: Resigned (or already resigned) by a successful call, or an ``unknown`` user that
    #: ``verify`` saw ``Resigned`` (``UserOutcome.verified`` is then ``True``).
    RESIGNED = "resigned"
    #: A call naming this user failed, or ``verify`` saw it with another status
    #: (``error.code == "not_resigned"``, ``UserOutcome.status``); see ``UserOutcome.error``.
    FAILED = "failed"
    #: The request may have been acted on but its answer was lost: send it again or verify.
    UNKNOWN = "unknown"
    #: Rejected locally; never sent.
    INVALID = "invalid"
    #: An exact repeat of an earlier id of the input; not sent again.
    DUPLICATE = "duplicate"
    #: Not sent: the job stopped early, was cancelled, ran out of time, or was a dry run
    #: or a ``verify_only`` audit (which reports ``UserOutcome.status`` instead).
    NOT_ATTEMPTED = "not_attempted"

    def __str__(self) -> str:
        return str(self.value)
