"""Acting as a user of an account: publish, request, subscribe, respond and time a round trip,
what ``pynsc tool pub|req|sub|reply|rtt`` do.

The rules, all here and nowhere else (the NATS side is :mod:`pynsc.push.tool`'s):

* the account is the one named, else the current one; the user is the one named (by name or
  public key), else the account's only user: an account without users, or with several and
  none named, is an error telling what to do;
* the servers are the URLs given, else the operator's service URLs (none is an error);
* the user connects with its creds as the keystore holds them (a missing creds file is an
  error naming it);
* a publish or subscription the server refuses is an error hinting at the user's permissions; a
  request nobody serves is an error hinting at ``tool reply``.

Each function connects, does its work and disconnects; they are synchronous (from inside an
event loop, run them with ``asyncio.to_thread``). Example::

    nsc = Nsc.open()
    who = ConnectAs(account="B", user="alice", nats_url="nats://127.0.0.1:4222")
    publish(nsc, "orders.new", b"{}", connect=who)
    answer = request(nsc, "help", b"hi", connect=who)
    print(answer.message.text)
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from pynsc.actions.session import Nsc
from pynsc.actions.users import find_user
from pynsc.errors import StoreError
from pynsc.push.client import UserCredentials, split_urls
from pynsc.push.tls import TlsOptions
from pynsc.push.tool import (
    DEFAULT_REQUEST_TIMEOUT,
    Endpoint,
    Listened,
    NoRespondersError,
    PermissionViolationError,
    Published,
    Received,
    Reply,
    RoundTrip,
    ToolError,
    listen,
    run,
    service_urls,
    user_endpoint,
)
from pynsc.push.tool import publish as _publish
from pynsc.push.tool import request as _request
from pynsc.push.tool import round_trip as _round_trip
from pynsc.store.store import Store

if TYPE_CHECKING:
    import asyncio

__all__ = [
    "DEFAULT_REQUEST_TIMEOUT",
    "ConnectAs",
    "ToolConnection",
    "publish",
    "request",
    "respond",
    "round_trip",
    "subscribe",
    "tool_connection",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class ConnectAs:
    """Who connects where: ``user`` (name or public key; default: the account's only user) of
    ``account`` (default: the current one), to ``nats_url`` (URLs, comma separated or a list;
    default: the operator's service URLs), with ``tls``."""

    account: str | None = None
    user: str | None = None
    nats_url: str | Sequence[str] | None = None
    tls: TlsOptions | None = None


@dataclass(frozen=True, slots=True)
class ToolConnection:
    """The endpoint to connect to, and the account and user it acts as."""

    endpoint: Endpoint
    account: str
    user: str

    def run(self, main: Coroutine[Any, Any, T], *, stop: asyncio.Event | None = None) -> T:
        """:func:`pynsc.push.tool.run`, a permissions violation hinting at the user's
        permissions."""
        try:
            return run(main, stop=stop)
        except PermissionViolationError as err:
            err.hint = err.hint or (
                f'see the permissions of user "{self.user}" with '
                f"'pynsc describe user -a {self.account} {self.user}'"
            )
            raise


def tool_connection(nsc: Nsc, connect: ConnectAs | None = None) -> ToolConnection:
    """Where and as whom the tool functions connect (see :class:`ConnectAs`)."""
    connect = connect or ConnectAs()
    store = nsc.store()
    account = nsc.require_account(connect.account)
    user = _user(store, account, connect.user)
    url = connect.nats_url
    given = ",".join(split_urls(url)) if url is not None and not isinstance(url, str) else url
    urls = service_urls(store.name, store.operator().nats.operator_service_urls, given)
    return ToolConnection(_endpoint(nsc, store, account, user, urls, connect.tls), account, user)


def _user(store: Store, account: str, user: str | None) -> str:
    if user is not None and user.strip():
        return find_user(store, account, user)
    only = store.only_user(account)
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


def _endpoint(
    nsc: Nsc, store: Store, account: str, user: str, urls: list[str], tls: TlsOptions | None
) -> Endpoint:
    if not nsc.in_memory:
        return user_endpoint(nsc.keystore, store.name, account, user, urls=urls, tls=tls)
    text = nsc.keystore.read_creds(store.name, account, user)
    if text is None:
        raise ToolError(f'no creds for user "{user}" of account "{account}" in memory')
    return Endpoint(tuple(urls), UserCredentials.from_creds(text), tls or TlsOptions())


def _bytes(payload: bytes | str) -> bytes:
    return payload.encode("utf-8", "surrogateescape") if isinstance(payload, str) else payload


# Operations ----------------------------------------------------------------------------------


def publish(
    nsc: Nsc, subject: str, payload: bytes | str = b"", *, connect: ConnectAs | None = None
) -> Published:
    """Publish ``payload`` to ``subject``; returns once the server has processed it (a subject
    the user may not publish to is a :class:`~pynsc.push.tool.PermissionViolationError`)."""
    target = tool_connection(nsc, connect)
    return target.run(_publish(target.endpoint, subject, _bytes(payload)))


def request(
    nsc: Nsc,
    subject: str,
    payload: bytes | str = b"",
    *,
    timeout: float = DEFAULT_REQUEST_TIMEOUT,
    connect: ConnectAs | None = None,
) -> Reply:
    """Send ``payload`` as a request to ``subject`` and wait up to ``timeout`` seconds for the
    reply (none is a :class:`~pynsc.push.tool.RequestTimeoutError`, nobody serving the subject
    a :class:`~pynsc.push.tool.NoRespondersError`)."""
    target = tool_connection(nsc, connect)
    try:
        return target.run(_request(target.endpoint, subject, _bytes(payload), timeout=timeout))
    except NoRespondersError as err:
        err.hint = (f"is anything serving \"{subject}\"? try "
                    f"'pynsc tool reply -a {target.account} {subject}'")  # fmt: skip
        raise


def round_trip(nsc: Nsc, *, connect: ConnectAs | None = None) -> RoundTrip:
    """Time one PING/PONG with the server."""
    target = tool_connection(nsc, connect)
    return target.run(_round_trip(target.endpoint))


def subscribe(
    nsc: Nsc,
    subject: str,
    *,
    queue: str = "",
    max_messages: int | None = None,
    on_ready: Callable[[str], None] | None = None,
    on_message: Callable[[Received], None] | None = None,
    connect: ConnectAs | None = None,
) -> Listened:
    """Subscribe to ``subject`` (in ``queue`` when given) and hand each message to
    ``on_message`` until ``max_messages`` (``None``: no limit) have come or Ctrl-C.
    ``on_ready`` gets the server URL once the subscription is in place."""
    return _listen(nsc, subject, queue=queue, max_messages=max_messages, reply=False,
                   payload=None, on_ready=on_ready, on_message=on_message,
                   connect=connect)  # fmt: skip


def respond(
    nsc: Nsc,
    subject: str,
    payload: bytes | str | None = None,
    *,
    queue: str = "",
    max_messages: int | None = None,
    on_ready: Callable[[str], None] | None = None,
    on_message: Callable[[Received], None] | None = None,
    connect: ConnectAs | None = None,
) -> Listened:
    """Answer every request sent to ``subject`` with ``payload`` (``None``: the request's own
    payload), as :func:`subscribe` does; a message without a reply subject is not answered."""
    answer = None if payload is None else _bytes(payload)
    return _listen(nsc, subject, queue=queue, max_messages=max_messages, reply=True,
                   payload=answer, on_ready=on_ready, on_message=on_message,
                   connect=connect)  # fmt: skip


def _listen(
    nsc: Nsc,
    subject: str,
    *,
    queue: str,
    max_messages: int | None,
    reply: bool,
    payload: bytes | None,
    on_ready: Callable[[str], None] | None,
    on_message: Callable[[Received], None] | None,
    connect: ConnectAs | None,
) -> Listened:
    import asyncio

    target = tool_connection(nsc, connect)
    stop = asyncio.Event()  # Ctrl-C sets it: the listener ends cleanly with what it counted
    return target.run(
        listen(target.endpoint, subject, queue=queue, max_messages=max_messages, reply=reply,
               payload=payload, on_ready=on_ready, on_message=on_message, stop=stop),
        stop=stop,
    )  # fmt: skip
