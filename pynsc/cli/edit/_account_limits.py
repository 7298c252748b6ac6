"""``edit account``'s NATS limit flags: connections, data, exports, imports, payload,
subscriptions, wildcard exports, bearer tokens.

Parsing only: the command receives the library's
:class:`~pynsc.actions.accounts.AccountLimitChanges`, which keeps every limit not flagged (nsc
rewrites ``wildcards`` and ``disallow_bearer`` on every edit, pynsc keeps them).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from pynsc.actions.accounts import AccountLimitChanges
from pynsc.cli.user_limits import bool_value_option, number_callback

__all__ = ["account_limit_options"]


def _number(flag: str, what: str) -> Callable[[Any], Any]:
    name = "al_" + flag.removeprefix("--").replace("-", "_")
    return click.option(flag, name, metavar="N", default=None, callback=number_callback,
                        help=f"{what} (-1 is unlimited).")  # fmt: skip


def account_limit_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The account limit flags; the command receives them as ``limits``
    (:class:`~pynsc.actions.accounts.AccountLimitChanges`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {
            field.name: kwargs.pop("al_" + field.name) for field in fields(AccountLimitChanges)
        }
        return f(*args, limits=AccountLimitChanges(**values), **kwargs)

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
