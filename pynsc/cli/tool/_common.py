"""What the ``tool`` commands share: the flags saying who connects where
(:func:`connection_options`), the ``--max-messages`` flag, and the JSON lines of ``sub`` and
``reply``. Who connects where, and as whom, is :mod:`pynsc.actions.tool`'s."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pynsc.cli.connect_options import nats_url_option, tls_options
from pynsc.cli.options import account_option, user_option
from pynsc.errors import NscError

if TYPE_CHECKING:
    from pynsc.cli.app import App

__all__ = [
    "connection_options",
    "json_line",
    "json_lines",
    "max_messages_option",
    "payload_bytes",
    "plural",
]

F = TypeVar("F", bound=Callable[..., Any])


def connection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The flags saying who connects where (``-u``, ``-a``, ``--nats``, TLS), handed to the
    command as ``connect`` (:class:`~pynsc.actions.tool.ConnectAs`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from pynsc.actions.tool import ConnectAs

        connect = ConnectAs(
            account=kwargs.pop("account"),
            user=kwargs.pop("user"),
            nats_url=kwargs.pop("nats_url"),
            tls=kwargs.pop("tls"),
        )
        return f(*args, connect=connect, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for add in (tls_options, nats_url_option, account_option, user_option):
        decorated = add(decorated)
    return decorated


def payload_bytes(payload: str) -> bytes:
    """A payload argument as the bytes given on the command line."""
    return payload.encode("utf-8", "surrogateescape")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _max_messages(ctx: click.Context, param: click.Parameter, value: int) -> int | None:
    if value == 0:
        raise click.BadParameter("must be greater than zero (or negative: no limit)")
    return None if value < 0 else value


def max_messages_option(f: F) -> F:
    """``--max-messages N`` (default -1: until Ctrl-C), as ``max_messages`` (``None``: no
    limit)."""
    return click.option(
        "--max-messages", "max_messages", type=int, default=-1, show_default=True, metavar="N",
        callback=_max_messages, help="Stop after N messages (-1: until Ctrl-C).",
    )(f)  # fmt: skip


def json_line(app: App, value: Any) -> None:
    """``value`` as one line of JSON on stdout."""
    app.output.data(json.dumps(value, ensure_ascii=False))
    app.output.wrote_json = True


@contextmanager
def json_lines(app: App, *, enabled: bool) -> Iterator[None]:
    """In ``--json`` mode, report a failure as one more JSON line on stdout (the usual failure
    object, on one line, so the output stays JSON lines)."""
    try:
        yield
    except NscError as err:
        if enabled:
            json_line(app, {
                "ok": False, "messages": [{"level": "error", "text": err.message}], "data": None,
            })  # fmt: skip
        raise
