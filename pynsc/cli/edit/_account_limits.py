"""``edit account``'s NATS limit flags: connections, data, exports, imports, payload,
subscriptions, wildcard exports, bearer tokens.

Only the flags given change the account: nsc rewrites ``wildcards`` and ``disallow_bearer`` from
their flag defaults on every edit, pynsc keeps them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.user_limits import bool_value_option, number_callback

if TYPE_CHECKING:
    from pynsc.claims import OperatorLimits

__all__ = ["AccountLimitFlags", "account_limit_options", "apply_account_limits"]


@dataclass(frozen=True, slots=True)
class AccountLimitFlags:
    """The limit flags as given (``None`` when absent)."""

    conns: int | None = None
    leaf_conns: int | None = None
    data: int | None = None
    exports: int | None = None
    imports: int | None = None
    payload: int | None = None
    subscriptions: int | None = None
    wildcard_exports: bool | None = None
    disallow_bearer: bool | None = None

    def is_empty(self) -> bool:
        return self == AccountLimitFlags()


def _number(flag: str, what: str) -> Callable[[Any], Any]:
    name = "al_" + flag.removeprefix("--").replace("-", "_")
    return click.option(flag, name, metavar="N", default=None, callback=number_callback,
                        help=f"{what} (-1 is unlimited).")  # fmt: skip


def account_limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The account limit flags; the command receives them as ``limits``
    (:class:`AccountLimitFlags`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {field.name: kwargs.pop("al_" + field.name) for field in fields(AccountLimitFlags)}
        return f(*args, limits=AccountLimitFlags(**values), **kwargs)

    decorators = [
        _number("--conns", "Maximum active connections"),
        _number("--leaf-conns", "Maximum active leaf node connections"),
        _number("--data", "Maximum data in bytes, e.g. 10MiB"),
        _number("--exports", "Maximum number of exports"),
        _number("--imports", "Maximum number of imports"),
        _number("--payload", "Maximum message payload in bytes, e.g. 1k"),
        _number("--subscriptions", "Maximum subscriptions"),
        bool_value_option("--wildcard-exports", "al_wildcard_exports",
                          help="Whether exports may contain wildcards (default: keep)."),
        bool_value_option("--disallow-bearer", "al_disallow_bearer",
                          help="Refuse users with bearer tokens (default: keep)."),
    ]  # fmt: skip
    decorated: Callable[..., Any] = wrapper
    for add in reversed(decorators):
        decorated = add(decorated)
    return decorated


def _bool(value: bool) -> str:
    return "true" if value else "false"


def apply_account_limits(limits: OperatorLimits, flags: AccountLimitFlags) -> list[str]:
    """Set the flagged limits on ``limits``; return nsc's line for each flag given."""
    changes = []
    if flags.conns is not None:
        limits.conn = flags.conns
        changes.append(f"changed max connections to {flags.conns}")
    if flags.leaf_conns is not None:
        limits.leaf = flags.leaf_conns
        changes.append(f"changed leaf node connections to {flags.leaf_conns}")
    if flags.data is not None:
        limits.data = flags.data
        changes.append(f"changed max data to {flags.data} bytes")
    if flags.exports is not None:
        limits.exports = flags.exports
        changes.append(f"changed max exports to {flags.exports}")
    if flags.wildcard_exports is not None:
        limits.wildcards = flags.wildcard_exports
        changes.append(f"changed wild card exports to {_bool(flags.wildcard_exports)}")
    if flags.disallow_bearer is not None:
        limits.disallow_bearer = flags.disallow_bearer
        changes.append(f"changed disallow bearer to {_bool(flags.disallow_bearer)}")
    if flags.imports is not None:
        limits.imports = flags.imports
        changes.append(f"changed max imports to {flags.imports}")
    if flags.payload is not None:
        limits.payload = flags.payload
        changes.append(f"changed max payload size to {flags.payload}")
    if flags.subscriptions is not None:
        limits.subs = flags.subscriptions
        changes.append(f"changed max subscriptions to {flags.subscriptions}")
    return changes
