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


# (flag, limit it sets, nsc's message), in the order nsc reports them
_LIMITS = (
    ("conns", "conn", "changed max connections to {}"),
    ("leaf_conns", "leaf", "changed leaf node connections to {}"),
    ("data", "data", "changed max data to {} bytes"),
    ("exports", "exports", "changed max exports to {}"),
    ("wildcard_exports", "wildcards", "changed wild card exports to {}"),
    ("disallow_bearer", "disallow_bearer", "changed disallow bearer to {}"),
    ("imports", "imports", "changed max imports to {}"),
    ("payload", "payload", "changed max payload size to {}"),
    ("subscriptions", "subs", "changed max subscriptions to {}"),
)


def apply_account_limits(limits: OperatorLimits, flags: AccountLimitFlags) -> list[str]:
    """Set the flagged limits on ``limits``; return nsc's line for each flag given."""
    changes = []
    for flag, attribute, message in _LIMITS:
        value = getattr(flags, flag)
        if value is None:
            continue
        setattr(limits, attribute, value)
        shown = ("true" if value else "false") if isinstance(value, bool) else value
        changes.append(message.format(shown))
    return changes
