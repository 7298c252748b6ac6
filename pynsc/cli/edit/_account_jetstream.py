"""``edit account``'s JetStream flags: global (tier 0) or per-replication-tier (``R1``, ``R3`` …)
limits, removing a tier, enabling one, disabling JetStream.

Parsing only: the command receives the library's
:class:`~pynsc.actions.jetstream.JetStreamChanges`, whose rules (flags that exclude each other,
global versus tiered limits, none on the system account) are :mod:`pynsc.actions.jetstream`'s.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import fields
from typing import Any

import click

from pynsc.actions.jetstream import JS_VALUES, JetStreamChanges, check_tier
from pynsc.cli.user_limits import bool_value_option, number_callback
from pynsc.errors import UsageError

__all__ = ["jetstream_options"]

_HELP = {
    "streams": "maximum streams (-1 is unlimited)",
    "consumer": "maximum consumers (-1 is unlimited)",
    "mem_storage": "maximum memory storage in bytes, e.g. 1GiB (-1 is unlimited, 0 disabled)",
    "mem_max_stream_bytes": "maximum size of a memory stream (-1 is unlimited)",
    "disk_storage": "maximum disk storage in bytes, e.g. 1GiB (-1 is unlimited, 0 disabled)",
    "disk_max_stream_bytes": "maximum size of a disk stream (-1 is unlimited)",
    "max_ack_pending": "maximum acks pending for a consumer (-1 is unlimited)",
}
#: hidden, deprecated spellings (nsc renamed them with a ``js-`` prefix)
_DEPRECATED = (
    ("--mem-storage", "mem_storage"),
    ("--disk-storage", "disk_storage"),
    ("--streams", "streams"),
    ("--consumer", "consumer"),
)


def _tier(ctx: click.Context, param: click.Parameter, value: int | None) -> int | None:
    try:
        return check_tier(value)
    except UsageError as e:
        raise click.BadParameter(e.message) from e


def jetstream_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The JetStream flags; the command receives them as ``jetstream``
    (:class:`~pynsc.actions.jetstream.JetStreamChanges`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values: dict[str, Any] = {}
        for field in fields(JetStreamChanges):
            values[field.name] = kwargs.pop("js_" + field.name)
        for flag, name in _DEPRECATED:
            old = kwargs.pop("js_old_" + flag.removeprefix("--").replace("-", "_"))
            if values[name] is None:
                values[name] = old
        return f(*args, jetstream=JetStreamChanges(**values), **kwargs)

    decorators: list[Callable[[Any], Any]] = [
        click.option("--js-tier", "js_tier", type=int, default=None, metavar="N",
                     callback=_tier,
                     help="JetStream: the replication tier the limits are for "
                          "(0, the default, is the global configuration)."),
        click.option("--rm-js-tier", "js_rm_tier", type=int, default=None, metavar="N",
                     callback=_tier,
                     help="JetStream: remove the limits of this tier (0 is global); "
                          "excludes the other JetStream flags."),
        click.option("--js-enable", "js_enable", type=int, default=None, metavar="N",
                     callback=_tier,
                     help="JetStream: enable tier N (0 is global) with unlimited storage; "
                          "excludes the other JetStream flags."),
        click.option("--js-disable", "js_disable", is_flag=True, default=False,
                     help="JetStream: delete every JetStream limit of the account."),
    ]  # fmt: skip
    for flag, name, _what in JS_VALUES:
        decorators.append(click.option(
            flag, "js_" + name, metavar="N", default=None, callback=number_callback,
            help=f"JetStream: {_HELP[name]}.",
        ))  # fmt: skip
    decorators.append(bool_value_option(
        "--js-max-bytes-required", "js_max_bytes_required",
        help="JetStream: streams must be created with a maximum size.",
    ))  # fmt: skip
    for flag, _name in _DEPRECATED:
        decorators.append(click.option(
            flag, "js_old_" + flag.removeprefix("--").replace("-", "_"), metavar="N",
            default=None, callback=number_callback, hidden=True,
        ))  # fmt: skip
    decorated: Callable[..., Any] = wrapper
    for add in reversed(decorators):
        decorated = add(decorated)
    return decorated
