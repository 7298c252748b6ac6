"""The user permission and limit flags shared by ``add user``, ``edit user`` and ``edit
signing-key``: parsing only; the checks and their application are the library's
(:mod:`pynsc.actions.user_changes`).

:func:`user_limit_options` adds nsc's flags to a command, checks every value while parsing (so a
bad one fails before anything is read or written) and hands the command one
:class:`UserLimitFlags` (the library's ``UserChanges``) as ``user_limits``.

The flags: ``[perm-set]`` and ``[perm-rm]``; ``--time hh:mm:ss-hh:mm:ss`` (repeatable) and
``--rm-time hh:mm:ss`` (by start); ``--locale`` (IANA time zone); ``--source-network`` and
``--rm-source-network`` (CIDRs); ``--conn-type`` and ``--rm-conn-type`` (any case, kept
upper-case); ``--subs``, ``--data``, ``--payload`` (``-1`` is unlimited; units as ``10k``,
``1MiB``); ``--bearer[=BOOL]``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import click

from pynsc.actions import user_changes
from pynsc.actions.user_changes import UserChanges, apply_user_limits
from pynsc.claims.types import CONNECTION_TYPES
from pynsc.cli.options import permission_options, permission_set_options
from pynsc.cli.params import parse_number, split_list
from pynsc.errors import UsageError

__all__ = [
    "UserLimitFlags",
    "apply_user_limits",
    "bool_value_option",
    "number_callback",
    "user_limit_options",
    "user_limit_set_options",
]

F = TypeVar("F", bound=Callable[..., Any])

UserLimitFlags = UserChanges
"""The user limit flags: the library's :class:`~pynsc.actions.user_changes.UserChanges`."""


def _checked(check: Callable[[str], Any], value: str) -> Any:
    try:
        return check(value)
    except UsageError as e:
        raise click.BadParameter(e.message) from e


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
    return tuple(_checked(user_changes.check_time_range, text) for text in value)


def _list(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item.strip() for item in split_list(value) if item.strip())


def _locale(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    return None if value is None else str(_checked(user_changes.check_locale, value))


def _networks(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    return tuple(_checked(user_changes.check_cidr, n) for n in _list(ctx, param, value))


def _conn_types(
    ctx: click.Context, param: click.Parameter, value: tuple[str, ...]
) -> tuple[str, ...]:
    return tuple(
        _checked(user_changes.check_connection_type, kind) for kind in _list(ctx, param, value)
    )


def _upper(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(item.upper() for item in _list(ctx, param, value))


_LIST = "comma list or repeated"
_TYPES = ", ".join(CONNECTION_TYPES)


def _params() -> list[Callable[[F], F]]:
    def option(*decls: str, **kwargs: Any) -> Callable[[F], F]:
        decorator = click.option(*decls, **kwargs)
        if decls[0].startswith("--rm-"):
            decorator.__name__ = "rm_" + decls[0]
        return decorator

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


def _decorate(f: Callable[..., Any], *, removals: bool) -> Callable[..., Any]:
    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = UserLimitFlags(
            perms=kwargs.pop("perms"),
            times=kwargs.pop("ul_times"),
            rm_times=kwargs.pop("ul_rm_times", ()),
            locale=kwargs.pop("ul_locale"),
            source_networks=kwargs.pop("ul_src"),
            rm_source_networks=kwargs.pop("ul_rm_src", ()),
            conn_types=kwargs.pop("ul_conn_types"),
            rm_conn_types=kwargs.pop("ul_rm_conn_types", ()),
            subs=kwargs.pop("ul_subs"),
            data=kwargs.pop("ul_data"),
            payload=kwargs.pop("ul_payload"),
            bearer=kwargs.pop("ul_bearer"),
        )
        return f(*args, user_limits=flags, **kwargs)

    perms = permission_options if removals else permission_set_options
    decorated: Callable[..., Any] = perms(wrapper)
    for add in reversed(_params()):
        if removals or not add.__name__.startswith("rm_"):
            decorated = add(decorated)
    return decorated


def user_limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The user permission and limit flags (with ``[perm-set]``/``[perm-rm]``); the command
    receives them as ``user_limits`` (:class:`UserLimitFlags`)."""
    return _decorate(f, removals=True)


def user_limit_set_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The same flags without the ``--rm…`` ones, for ``add`` commands."""
    return _decorate(f, removals=False)
