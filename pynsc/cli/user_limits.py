"""The user permission and limit flags shared by ``edit user`` and ``edit signing-key``.

:func:`user_limit_options` adds nsc's flags to a command, checks every value while parsing (so a
bad one fails before anything is read or written) and hands the command one
:class:`UserLimitFlags` as ``user_limits``. :func:`apply_user_limits` applies them to a
:class:`~pynsc.claims.UserPermissionLimits` (a user's, or a scoped key's template) and returns a
line per change for the report.

The flags: ``[perm-set]`` and ``[perm-rm]``; ``--time hh:mm:ss-hh:mm:ss`` (repeatable) and
``--rm-time hh:mm:ss`` (by start); ``--locale`` (IANA time zone); ``--source-network`` and
``--rm-source-network`` (CIDRs); ``--conn-type`` and ``--rm-conn-type`` (any case, kept
upper-case); ``--subs``, ``--data``, ``--payload`` (``-1`` is unlimited; units as ``10k``,
``1MiB``); ``--bearer[=BOOL]``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pynsc.claims.subjects import go_quote, is_valid_cidr, parse_go_time, time_zone_error
from pynsc.claims.types import CONNECTION_TYPES
from pynsc.cli.options import permission_options
from pynsc.cli.params import PermissionFlags, apply_permissions, parse_number, split_list

if TYPE_CHECKING:
    from pynsc.claims import UserPermissionLimits

__all__ = [
    "UserLimitFlags",
    "apply_user_limits",
    "bool_value_option",
    "number_callback",
    "user_limit_options",
]

F = TypeVar("F", bound=Callable[..., Any])

TIME_LAYOUT = "15:04:05"


@dataclass(frozen=True, slots=True)
class UserLimitFlags:
    """The user limit flags as given; ``None`` or empty means "not given, keep the value"."""

    perms: PermissionFlags = field(default_factory=PermissionFlags)
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

    def is_empty(self) -> bool:
        """Whether no flag was given (``--locale`` alone counts as given, unlike in nsc)."""
        return self == UserLimitFlags()


# Parsing -----------------------------------------------------------------------------------------


def number_callback(
    ctx: click.Context, param: click.Parameter, value: str | None
) -> int | None:
    """Callback of a limit flag: ``None`` when absent, else :func:`parse_number`."""
    return None if value is None else parse_number(value)


def bool_value_option(
    flag: str, name: str, *, help: str, hidden: bool = False
) -> Callable[[F], F]:
    """A boolean flag as cobra's: ``--x`` is true, ``--x=false`` (or ``--no-x``) false. The
    command receives ``None`` when the flag is absent (so an edit keeps the value)."""
    return click.option(
        f"{flag}/--no-{flag.removeprefix('--')}", name, default=None, hidden=hidden, help=help,
    )  # fmt: skip


def _times(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[tuple[str, str], ...]:
    ranges = []
    for text in value:
        parts = text.split("-")
        layout = f"{TIME_LAYOUT}-{TIME_LAYOUT}"
        if len(parts) != 2:
            raise click.BadParameter(f"require format: {go_quote(layout)} got {go_quote(text)}")
        for what, part in (("start", parts[0]), ("end", parts[1])):
            if not parse_go_time(part):
                raise click.BadParameter(
                    f"require format: {go_quote(layout)} could not parse {what} time "
                    f"{go_quote(part)}"
                )
        ranges.append((parts[0], parts[1]))
    return tuple(ranges)


def _list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item.strip() for item in split_list(value) if item.strip())


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    problem = time_zone_error(value)
    if problem:
        raise click.BadParameter(problem)
    return value


def _networks(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    networks = _list(ctx, param, value)
    for network in networks:
        if not is_valid_cidr(network):
            raise click.BadParameter(f"invalid cidr {go_quote(network)}")
    return networks


def _conn_types(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    types = _list(ctx, param, value)
    for kind in types:
        if kind.upper() not in CONNECTION_TYPES:
            raise click.BadParameter(
                f"unknown connection type {kind} - expected one of {', '.join(CONNECTION_TYPES)}"
            )
    return tuple(kind.upper() for kind in types)


def _upper(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item.upper() for item in _list(ctx, param, value))


_LIST = "comma list or repeated"
_TYPES = ", ".join(CONNECTION_TYPES)


def _params() -> list[Callable[[F], F]]:
    def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
        return click.option(*decls, **kwargs)

    return [
        option("--time", "ul_times", metavar="HH:MM:SS-HH:MM:SS", multiple=True,
               callback=_times, help="Add a daily connect window (repeatable)."),
        option("--rm-time", "ul_rm_times", metavar="HH:MM:SS[,...]", multiple=True,
               callback=_list, help=f"Remove connect windows by start time ({_LIST})."),
        option("--locale", "ul_locale", metavar="ZONE", default=None, callback=_locale,
               help="IANA time zone the connect windows are in (e.g. America/New_York)."),
        option("--source-network", "ul_src", metavar="CIDR[,...]", multiple=True,
               callback=_networks, help=f"Add networks connections may come from ({_LIST})."),
        option("--rm-source-network", "ul_rm_src", metavar="CIDR[,...]", multiple=True,
               callback=_list, help=f"Remove source networks ({_LIST})."),
        option("--conn-type", "ul_conn_types", metavar="TYPE[,...]", multiple=True,
               callback=_conn_types,
               help=f"Allow connection types, any case: {_TYPES} ({_LIST})."),
        option("--rm-conn-type", "ul_rm_conn_types", metavar="TYPE[,...]", multiple=True,
               callback=_upper, help=f"Remove allowed connection types ({_LIST})."),
        option("--subs", "ul_subs", metavar="N", default=None, callback=number_callback,
               help="Maximum subscriptions (-1 is unlimited)."),
        option("--data", "ul_data", metavar="BYTES", default=None, callback=number_callback,
               help="Maximum data in bytes, e.g. 10MiB (-1 is unlimited)."),
        option("--payload", "ul_payload", metavar="BYTES", default=None,
               callback=number_callback,
               help="Maximum message payload in bytes, e.g. 1k (-1 is unlimited)."),
        bool_value_option("--bearer", "ul_bearer",
                          help="No connect challenge: the JWT alone authenticates "
                               "(--bearer=false turns it off)."),
    ]  # fmt: skip


def user_limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The user permission and limit flags (with ``[perm-set]``/``[perm-rm]``); the command
    receives them as ``user_limits`` (:class:`UserLimitFlags`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = UserLimitFlags(
            perms=kwargs.pop("perms"),
            times=kwargs.pop("ul_times"),
            rm_times=kwargs.pop("ul_rm_times"),
            locale=kwargs.pop("ul_locale"),
            source_networks=kwargs.pop("ul_src"),
            rm_source_networks=kwargs.pop("ul_rm_src"),
            conn_types=kwargs.pop("ul_conn_types"),
            rm_conn_types=kwargs.pop("ul_rm_conn_types"),
            subs=kwargs.pop("ul_subs"),
            data=kwargs.pop("ul_data"),
            payload=kwargs.pop("ul_payload"),
            bearer=kwargs.pop("ul_bearer"),
        )
        return f(*args, user_limits=flags, **kwargs)

    decorated: Callable[..., Any] = permission_options(wrapper)
    for add in reversed(_params()):
        decorated = add(decorated)
    return decorated


# Applying ----------------------------------------------------------------------------------------


def _merge(
    current: list[str], added: tuple[str, ...], removed: tuple[str, ...], what: str
) -> list[str]:
    """Add then remove ``what`` values in ``current`` (in place); a line per real change."""
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


def apply_user_limits(limits: UserPermissionLimits, flags: UserLimitFlags) -> list[str]:
    """Apply ``flags`` to ``limits`` in place (fields not flagged are kept); a line per change.

    Messages are nsc's (``changed max data to 100``, ``changed bearer to true``, ``ignoring
    change to bearer - value is already false`` …); ``--payload`` reports ``max payload``
    (nsc says ``max imports``).
    """
    from pynsc.claims import TimeRange

    changes: list[str] = []
    if flags.payload is not None:
        limits.payload = flags.payload
        changes.append(f"changed max payload to {flags.payload}")
    if flags.data is not None:
        limits.data = flags.data
        changes.append(f"changed max data to {flags.data}")
    if flags.subs is not None:
        limits.subs = flags.subs
        changes.append(f"changed max number of subs to {flags.subs}")
    if flags.bearer is not None:
        value = "true" if flags.bearer else "false"
        if limits.bearer_token == flags.bearer:
            changes.append(f"ignoring change to bearer - value is already {value}")
        else:
            limits.bearer_token = flags.bearer
            changes.append(f"changed bearer to {value}")

    changes += _merge(
        limits.allowed_connection_types, flags.conn_types, flags.rm_conn_types, "connection type"
    )
    changes += _merge(limits.src, flags.source_networks, flags.rm_source_networks, "src network")
    limits.src.sort()

    if flags.locale is not None and flags.locale != limits.times_location:
        limits.times_location = flags.locale
        changes.append(f"changed locale to {go_quote(flags.locale)}")
    for start, end in flags.times:
        window = TimeRange(start=start, end=end)
        if window not in limits.times:
            limits.times.append(window)
            changes.append(f"added time range {start}-{end}")
    for start in flags.rm_times:
        for window in list(limits.times):
            if window.start == start:
                limits.times.remove(window)
                changes.append(f"removed time range {window.start}-{window.end}")
                break

    changes += apply_permissions(limits, flags.perms)
    return changes
