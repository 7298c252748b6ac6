"""What the ``tool`` commands share: who connects where (:func:`connection`), the
``--max-messages`` flag, and the JSON lines of ``sub`` and ``reply``."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Coroutine, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import click

from pynsc.cli.connect_options import nats_url_option, tls_options
from pynsc.cli.options import account_option, user_option
from pynsc.errors import NscError, StoreError

if TYPE_CHECKING:
    import asyncio

    from pynsc.cli.app import App
    from pynsc.push.tls import TlsOptions
    from pynsc.push.tool import Endpoint
    from pynsc.store import Store

__all__ = [
    "Connection",
    "ConnectionFlags",
    "connection",
    "connection_options",
    "json_line",
    "json_lines",
    "max_messages_option",
    "payload_bytes",
    "plural",
]

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True, slots=True)
class Connection:
    """The endpoint of a tool command, and the account and user it acts as (for hints)."""

    endpoint: Endpoint
    account: str
    user: str

    def run(self, main: Coroutine[Any, Any, T], *, stop: asyncio.Event | None = None) -> T:
        """:func:`pynsc.push.tool.run`, a permissions violation hinting at the user's
        permissions."""
        from pynsc.push.tool import PermissionViolationError, run

        try:
            return run(main, stop=stop)
        except PermissionViolationError as err:
            err.hint = err.hint or (
                f'see the permissions of user "{self.user}" with '
                f"'pynsc describe user -a {self.account} {self.user}'"
            )
            raise


@dataclass(frozen=True, slots=True)
class ConnectionFlags:
    """``-a/--account``, ``-u/--user``, ``--nats`` and the TLS flags of a tool command."""

    account: str | None
    user: str | None
    nats_url: str | None
    tls: TlsOptions


def connection_options(f: Callable[..., Any]) -> Callable[..., Any]:
    """The flags saying who connects where (``-u``, ``-a``, ``--nats``, TLS), handed to the
    command as ``flags`` (:class:`ConnectionFlags`, for :func:`connection`)."""

    @functools.wraps(f)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        flags = ConnectionFlags(
            account=kwargs.pop("account"),
            user=kwargs.pop("user"),
            nats_url=kwargs.pop("nats_url"),
            tls=kwargs.pop("tls"),
        )
        return f(*args, flags=flags, **kwargs)

    decorated: Callable[..., Any] = wrapper
    for add in (tls_options, nats_url_option, account_option, user_option):
        decorated = add(decorated)
    return decorated


def connection(app: App, flags: ConnectionFlags) -> Connection:
    """The user (``-u``, default: the account's only user) of the account (``-a``, default:
    the current one), its creds file, and the URLs (``--nats``, else the operator's service
    URLs)."""
    from pynsc.push.tool import service_urls, user_endpoint

    context = app.context
    store = context.store()
    account_name = context.require_account(flags.account)
    user_name = _user(store, account_name, flags.user)
    urls = service_urls(store.name, store.operator().nats.operator_service_urls, flags.nats_url)
    endpoint = user_endpoint(
        app.keystore, store.name, account_name, user_name, urls=urls, tls=flags.tls
    )
    return Connection(endpoint, account_name, user_name)


def _user(store: Store, account: str, user: str | None) -> str:
    from pynsc.cli._users import only_user, resolve_user

    if user is not None and user.strip():
        return resolve_user(store, account, user)
    only = only_user(store, account)
    if only is not None:
        return only
    count = len(store.user_names(account))
    if count == 0:
        raise StoreError(
            f'account "{account}" has no users',
            hint=f"add one with 'pynsc add user -a {account} NAME'",
        )
    raise StoreError(
        f'account "{account}" has {count} users: a user is required',
        hint="name the one to connect as with -u NAME",
    )


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
