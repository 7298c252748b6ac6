"""What may be set on a user (or a scoped key's template), checked and applied as nsc does.

* :class:`PermissionChanges`: nsc's ``[perm-set]``/``[perm-rm]`` (allow/deny pub/sub/pubsub,
  ``--rm``, response permissions), checked when made.
* :class:`UserChanges`: permissions plus limits, connect windows, locale, source networks,
  connection types, bearer, tags and validity, checked when made.
* :func:`apply_permissions`, :func:`apply_user_limits`, :func:`apply_user_changes`: apply them
  in place and return one report line per real change, in nsc's words.

Every check raises :class:`~pynsc.errors.UsageError` (exit 2 in the CLI), whose message says
what is wrong. The CLI calls the same checks while it parses flags.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field

from pynsc._model import dataclass
from pynsc.claims import TimeRange, UserClaims, UserPermissionLimits
from pynsc.claims.subjects import (
    go_quote,
    is_valid_cidr,
    parse_go_time,
    subject_error,
    time_zone_error,
)
from pynsc.claims.types import CONNECTION_TYPES, Permissions, ResponsePermission
from pynsc.errors import UsageError
from pynsc.text import go_duration, render_date

__all__ = [
    "NO_CHANGES",
    "NO_PERMISSION_CHANGES",
    "TIME_LAYOUT",
    "PermissionChanges",
    "UserChanges",
    "add_tags",
    "apply_permissions",
    "apply_tags",
    "apply_user_changes",
    "apply_user_limits",
    "check_cidr",
    "check_connection_type",
    "check_locale",
    "check_pub_subjects",
    "check_sub_subjects",
    "check_time_range",
    "remove_tags",
]

TIME_LAYOUT = "15:04:05"


# Checks --------------------------------------------------------------------------------------


def check_pub_subjects(subjects: Iterable[str]) -> None:
    """A publish permission subject may not contain a space (nsc's check, and message), nor
    what nats-server refuses: a tab, newline, carriage return or form feed, or ``>`` before
    the last token."""
    for subject in subjects:
        if " " in subject:
            raise UsageError(
                f"publish permission subject {go_quote(subject)} contains illegal space"
            )
        problem = subject_error(subject)
        if problem is not None:
            raise UsageError(f"publish permission {problem}")


def check_sub_subjects(subjects: Iterable[str]) -> None:
    """A subscribe permission subject holds at most one space: ``"subject queue"``; neither
    part holds what nats-server refuses (a tab, newline, carriage return or form feed; in the
    subject, ``>`` before the last token)."""
    for subject in subjects:
        if subject.count(" ") > 1:
            raise UsageError(
                f"subscribe permission subject {go_quote(subject)} can at most contain one space"
            )
        name, _, queue = subject.partition(" ")
        problem = subject_error(name) or subject_error(queue, queue=True)
        if problem is not None:
            raise UsageError(f"subscribe permission {problem}")


def check_time_range(text: str) -> tuple[str, str]:
    """A connect window ``hh:mm:ss-hh:mm:ss`` as (start, end)."""
    parts = text.split("-")
    layout = f"{TIME_LAYOUT}-{TIME_LAYOUT}"
    if len(parts) != 2:
        raise UsageError(f"require format: {go_quote(layout)} got {go_quote(text)}")
    for what, part in (("start", parts[0]), ("end", parts[1])):
        if not parse_go_time(part):
            raise UsageError(
                f"require format: {go_quote(layout)} could not parse {what} time "
                f"{go_quote(part)}"
            )
    return parts[0], parts[1]


def check_locale(value: str) -> str:
    """An IANA time zone name (``America/New_York``), or a :class:`UsageError`."""
    problem = time_zone_error(value)
    if problem:
        raise UsageError(problem)
    return value


def check_cidr(value: str) -> str:
    """A source network in CIDR form (``10.0.0.0/8``), or a :class:`UsageError`."""
    if not is_valid_cidr(value):
        raise UsageError(f"invalid cidr {go_quote(value)}")
    return value


def check_connection_type(value: str) -> str:
    """A connection type, any case, returned upper-case (``websocket`` → ``WEBSOCKET``)."""
    if value.upper() not in CONNECTION_TYPES:
        raise UsageError(
            f"unknown connection type {value} - expected one of {', '.join(CONNECTION_TYPES)}"
        )
    return value.upper()


# Permissions ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PermissionChanges:
    """nsc's ``[perm-set]`` and ``[perm-rm]``: subjects to allow, deny or remove.

    ``allow_pubsub``/``deny_pubsub`` add to both the pub and the sub list; ``remove`` takes a
    subject out of all four. ``allow_pub_response`` is the number of responses a requester may
    get (``max_responses`` is its deprecated spelling), ``response_ttl`` nanoseconds. Publish
    subjects may not contain a space; subscribe ones at most one (``"subject queue"``); none
    may hold what nats-server refuses (:func:`check_pub_subjects`). ``remove`` is not
    checked, so that a bad subject can be removed.
    """

    allow_pub: tuple[str, ...] = ()
    allow_sub: tuple[str, ...] = ()
    allow_pubsub: tuple[str, ...] = ()
    deny_pub: tuple[str, ...] = ()
    deny_sub: tuple[str, ...] = ()
    deny_pubsub: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()
    allow_pub_response: int | None = None
    max_responses: int | None = None
    response_ttl: int | None = None
    rm_response_perms: bool = False

    def __post_init__(self) -> None:
        for name in _SUBJECT_LISTS:
            value = getattr(self, name)
            if type(value) is tuple:
                continue
            if isinstance(value, str):
                raise UsageError(f"{name} takes a list of subjects, not one string")
            object.__setattr__(self, name, tuple(value))
        check_pub_subjects((*self.allow_pub, *self.allow_pubsub, *self.deny_pub,
                            *self.deny_pubsub))  # fmt: skip
        check_sub_subjects((*self.allow_sub, *self.deny_sub))
        if (
            self.allow_pub_response is not None
            and self.max_responses is not None
            and self.allow_pub_response != self.max_responses
        ):
            raise UsageError(
                "--max-responses is a deprecated spelling of --allow-pub-response=n: give one"
            )
        if self.rm_response_perms and (
            self.response_max is not None or self.response_ttl is not None
        ):
            raise UsageError(
                "--rm-response-perms cannot be combined with "
                "--allow-pub-response, --max-responses or --response-ttl"
            )

    @property
    def response_max(self) -> int | None:
        """The requested response count, from either spelling, or ``None``."""
        if self.allow_pub_response is not None:
            return self.allow_pub_response
        return self.max_responses

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self is _NO_PERMISSION_CHANGES or self == _NO_PERMISSION_CHANGES


_SUBJECT_LISTS = (
    "allow_pub", "allow_sub", "allow_pubsub", "deny_pub", "deny_sub", "deny_pubsub", "remove",
)  # fmt: skip
_NO_PERMISSION_CHANGES = PermissionChanges()
NO_PERMISSION_CHANGES = _NO_PERMISSION_CHANGES
"""The empty :class:`PermissionChanges` (compare with ``is`` for a fast path)."""


def _add(permission_list: list[str], subjects: Iterable[str], what: str) -> list[str]:
    changes = []
    for subject in subjects:
        if subject not in permission_list:
            permission_list.append(subject)
            changes.append(f"added {what} {go_quote(subject)}")
    return changes


def _remove(permission_list: list[str], subjects: Iterable[str], what: str) -> list[str]:
    changes = []
    for subject in subjects:
        if subject in permission_list:
            permission_list[:] = [s for s in permission_list if s != subject]
            changes.append(f"removed {what} {go_quote(subject)}")
    return changes


def apply_permissions(perms: Permissions, changes: PermissionChanges) -> list[str]:
    """Apply ``changes`` to ``perms`` in place; return a line per change, for the report.

    As nsc: ``--rm`` applies after the additions; every list ends deduplicated and sorted.
    A response count or TTL creates the response permission if needed (a TTL alone leaves its
    count at 0, which the server reads as 1). Adding a present subject or removing an absent
    one is silent.
    """
    lines: list[str] = []
    if changes.rm_response_perms and perms.resp is not None:
        perms.resp = None
        lines.append("removed response permissions")
    if changes.response_max is not None:
        perms.resp = perms.resp or ResponsePermission()
        perms.resp.max = changes.response_max
        lines.append(f"set max responses to {changes.response_max}")
    if changes.response_ttl is not None:
        perms.resp = perms.resp or ResponsePermission()
        perms.resp.ttl = changes.response_ttl
        lines.append(f"set response ttl to {go_duration(changes.response_ttl)}")

    lists = (
        (perms.pub.allow, "pub", (*changes.allow_pub, *changes.allow_pubsub)),
        (perms.pub.deny, "deny pub", (*changes.deny_pub, *changes.deny_pubsub)),
        (perms.sub.allow, "sub", (*changes.allow_sub, *changes.allow_pubsub)),
        (perms.sub.deny, "deny sub", (*changes.deny_sub, *changes.deny_pubsub)),
    )
    for subjects, what, added in lists:
        lines += _add(subjects, added, what)
        lines += _remove(subjects, changes.remove, what)
        subjects[:] = sorted(set(subjects))
    return lines


# User limits ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class UserChanges:
    """What to set on a user (or a scoped key's template); ``None`` or empty keeps a value.

    ``times`` are connect windows ``(start, end)`` as ``hh:mm:ss``, ``rm_times`` their starts;
    ``locale`` the IANA zone they are in; ``subs``/``data``/``payload`` limits (``-1`` is
    unlimited); ``bearer`` the bearer-token flag; ``start``/``expiry`` Unix seconds (0 clears).
    Values are checked when the object is made.
    """

    perms: PermissionChanges = field(default_factory=lambda: _NO_PERMISSION_CHANGES)
    times: tuple[tuple[str, str], ...] = ()
    rm_times: tuple[str, ...] = ()
    locale: str | None = None
    source_networks: tuple[str, ...] = ()
    rm_source_networks: tuple[str, ...] = ()
    conn_types: tuple[str, ...] = ()
    rm_conn_types: tuple[str, ...] = ()
    subs: int | None = None
    data: int | None = None
    payload: int | None = None
    bearer: bool | None = None
    tags: tuple[str, ...] = ()
    rm_tags: tuple[str, ...] = ()
    start: int | None = None
    expiry: int | None = None

    def __post_init__(self) -> None:
        for start, end in self.times:
            check_time_range(f"{start}-{end}")
        if self.locale is not None:
            check_locale(self.locale)
        for network in self.source_networks:
            check_cidr(network)
        if self.conn_types:
            object.__setattr__(
                self, "conn_types", tuple(check_connection_type(c) for c in self.conn_types)
            )
        if self.rm_conn_types:
            object.__setattr__(
                self, "rm_conn_types", tuple(c.upper() for c in self.rm_conn_types)
            )

    def is_empty(self) -> bool:
        """Whether nothing is to change."""
        return self is _NO_USER_CHANGES or self == _NO_USER_CHANGES

    def limits_only(self) -> UserChanges:
        """These changes without tags and validity (what a scoped key's template takes)."""
        return UserChanges(
            perms=self.perms, times=self.times, rm_times=self.rm_times, locale=self.locale,
            source_networks=self.source_networks, rm_source_networks=self.rm_source_networks,
            conn_types=self.conn_types, rm_conn_types=self.rm_conn_types, subs=self.subs,
            data=self.data, payload=self.payload, bearer=self.bearer,
        )  # fmt: skip

    def sets_limits(self) -> bool:
        """Whether anything but tags and validity is set (refused for a scoped key's user)."""
        return bool(
            self.times or self.rm_times or self.source_networks or self.rm_source_networks
            or self.conn_types or self.rm_conn_types or self.locale is not None
            or self.subs is not None or self.data is not None or self.payload is not None
            or self.bearer is not None
            or (self.perms is not _NO_PERMISSION_CHANGES and not self.perms.is_empty())
        )  # fmt: skip


_NO_USER_CHANGES = UserChanges()
NO_CHANGES = _NO_USER_CHANGES
"""The empty :class:`UserChanges` (compare with ``is`` for a fast path)."""


def _merge(
    current: list[str], added: tuple[str, ...], removed: tuple[str, ...], what: str
) -> list[str]:
    changes = []
    for value in added:
        if value not in current:
            current.append(value)
            changes.append(f"added {what} {value}")
    for value in removed:
        if value in current:
            current[:] = [v for v in current if v != value]
            changes.append(f"removed {what} {value}")
    return changes


def apply_user_limits(limits: UserPermissionLimits, changes: UserChanges) -> list[str]:
    """Apply the limit part of ``changes`` to ``limits`` in place; a line per change.

    Messages are nsc's (``changed max data to 100``, ``changed bearer to true``, ``ignoring
    change to bearer - value is already false`` …); ``payload`` reports ``max payload``.
    """
    lines: list[str] = []
    if not changes.sets_limits():
        return lines
    if changes.payload is not None:
        limits.payload = changes.payload
        lines.append(f"changed max payload to {changes.payload}")
    if changes.data is not None:
        limits.data = changes.data
        lines.append(f"changed max data to {changes.data}")
    if changes.subs is not None:
        limits.subs = changes.subs
        lines.append(f"changed max number of subs to {changes.subs}")
    if changes.bearer is not None:
        value = "true" if changes.bearer else "false"
        if limits.bearer_token == changes.bearer:
            lines.append(f"ignoring change to bearer - value is already {value}")
        else:
            limits.bearer_token = changes.bearer
            lines.append(f"changed bearer to {value}")

    lines += _merge(
        limits.allowed_connection_types, changes.conn_types, changes.rm_conn_types,
        "connection type",
    )  # fmt: skip
    if changes.source_networks or changes.rm_source_networks:
        lines += _merge(limits.src, changes.source_networks, changes.rm_source_networks,
                        "src network")  # fmt: skip
        limits.src.sort()  # as nsc's edit does (its add keeps the order given)

    if changes.locale is not None and changes.locale != limits.times_location:
        limits.times_location = changes.locale
        lines.append(f"changed locale to {go_quote(changes.locale)}")
    for start, end in changes.times:
        window = TimeRange(start=start, end=end)
        if window not in limits.times:
            limits.times.append(window)
            lines.append(f"added time range {start}-{end}")
    for start in changes.rm_times:
        for window in list(limits.times):
            if window.start == start:
                limits.times.remove(window)
                lines.append(f"removed time range {window.start}-{window.end}")
                break

    lines += apply_permissions(limits, changes.perms)
    return lines


def _tag(value: str) -> str:
    return value.strip().lower()


def add_tags(tags: list[str], new: Iterable[str]) -> list[str]:
    """Add ``new`` to ``tags`` as jwt's ``TagList.Add`` does (trimmed, lower-cased, once
    each), sorted; return the tags that were added."""
    added = []
    for value in new:
        tag = _tag(value)
        if tag and tag not in tags:
            tags.append(tag)
            added.append(tag)
    tags.sort()
    return added


def remove_tags(tags: list[str], gone: Iterable[str]) -> list[str]:
    """Remove ``gone`` from ``tags`` (compared lower-cased); return the tags removed."""
    removed = []
    for value in gone:
        tag = _tag(value)
        if tag in tags:
            tags[:] = [t for t in tags if t != tag]
            removed.append(tag)
    return removed


def apply_tags(tags: list[str], added: Iterable[str], removed: Iterable[str]) -> list[str]:
    """Add then remove tags (as :func:`add_tags`/:func:`remove_tags`); a line per tag, in nsc's
    words (``added tag "a"``, ``removed tag "b"``)."""
    lines = [f"added tag {go_quote(tag)}" for tag in add_tags(tags, added)]
    return lines + [f"removed tag {go_quote(tag)}" for tag in remove_tags(tags, removed)]


def apply_user_changes(claims: UserClaims, changes: UserChanges) -> list[str]:
    """Apply every part of ``changes`` to a user's claims; a line per change (``edit user``)."""
    lines: list[str] = []
    if changes.start is not None and changes.start != claims.nbf:
        claims.nbf = changes.start
        lines.append(f"changed jwt start to {render_date(changes.start) or 'unset'}")
    if changes.expiry is not None and changes.expiry != claims.exp:
        claims.exp = changes.expiry
        lines.append(f"changed jwt expiry to {render_date(changes.expiry) or 'unset'}")
    lines += apply_tags(claims.nats.tags, changes.tags, changes.rm_tags)
    lines += apply_user_limits(claims.nats, changes)
    return lines
