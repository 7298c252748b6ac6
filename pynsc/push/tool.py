"""A user's view of a nats-server: publish, subscribe, request, reply and round-trip time (the
work behind ``pynsc tool pub|sub|req|reply|rtt``, nsc's ``tool`` commands).

An :class:`Endpoint` says where to connect and as whom (the server URLs, the user's creds, TLS);
:func:`user_endpoint` builds one from a keystore's creds file. The operations are coroutines
that open their own connection and close it before they return::

    from pynsc.push import tool

    endpoint = tool.user_endpoint(keystore, "O", "B", "alice", urls="nats://127.0.0.1:4222")
    tool.run(tool.publish(endpoint, "orders.new", b"{}"))
    reply = tool.run(tool.request(endpoint, "help", b"hi", timeout=2))

:func:`listen` serves ``sub`` and ``reply``: it hands every message to a callback until it has
seen ``max_messages``, or ``stop`` is set. :func:`run` runs one operation in a fresh event loop
with Ctrl-C handled: it sets ``stop`` (so a listener ends cleanly and returns what it counted)
or, without one, cancels the operation and raises :class:`KeyboardInterrupt`.

Whatever the server refuses is raised, never printed: :class:`PermissionViolationError` for a
publish or subscription the user may not make (known for sure because every publish and
subscription is followed by two flushes, see :meth:`_Session.settle`),
:class:`NoRespondersError`, :class:`RequestTimeoutError`, and :class:`ToolError` for the rest.
nats-py and asyncio are imported only when an operation runs.
"""

from __future__ import annotations

import base64
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from pynsc.errors import PushError
from pynsc.push.client import UserCredentials, connect, split_urls
from pynsc.push.tls import TlsOptions

if TYPE_CHECKING:
    import asyncio

    from nats.aio.client import Client
    from nats.aio.msg import Msg

    from pynsc.keys import KeyStore

__all__ = [
    "DEFAULT_REQUEST_TIMEOUT",
    "Endpoint",
    "Listened",
    "Message",
    "NoRespondersError",
    "PermissionViolationError",
    "Published",
    "Received",
    "Reply",
    "RequestTimeoutError",
    "RoundTrip",
    "ToolError",
    "listen",
    "publish",
    "request",
    "round_trip",
    "run",
    "service_urls",
    "user_endpoint",
]

T = TypeVar("T")

DEFAULT_REQUEST_TIMEOUT = 5.0
"""Seconds a request waits for its reply (nsc's fixed 5 s)."""

_PERMISSIONS = "permissions violation"
_NO_RESPONDERS = "503"


class ToolError(PushError):
    """A publish, subscription or request failed."""


class PermissionViolationError(ToolError):
    """The server refused a publish or a subscription the user is not allowed to make."""


class NoRespondersError(ToolError):
    """A request found nobody subscribed to its subject."""


class RequestTimeoutError(ToolError):
    """A request got no reply in time."""


# Where and as whom ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Endpoint:
    """The nats-servers to try (in order), the user to connect as, and how."""

    urls: tuple[str, ...]
    credentials: UserCredentials
    tls: TlsOptions = field(default_factory=TlsOptions)
    name: str = "pynsc_tool"


def service_urls(operator_name: str, operator_urls: Sequence[str], url: str | None) -> list[str]:
    """``url`` (comma-separated URLs) when given, else the operator's service URLs; a
    :class:`ToolError` when that leaves none."""
    urls = split_urls(url) if url is not None and url.strip() else split_urls(operator_urls)
    if not urls:
        raise ToolError(
            f'operator "{operator_name}" has no service urls',
            hint="pass --nats nats://host:port, or set one with "
            "'pynsc edit operator --service-url URL'",
        )
    return urls


def user_endpoint(
    keystore: KeyStore,
    operator: str,
    account: str,
    user: str,
    *,
    urls: str | Sequence[str],
    tls: TlsOptions | None = None,
    name: str = "pynsc_tool",
) -> Endpoint:
    """Connect as ``user`` of ``account`` with the creds file the keystore holds for it.

    A missing creds file is a :class:`ToolError` naming its path.
    """
    path = keystore.creds_path(operator, account, user)
    if not path.is_file():
        raise ToolError(
            f'no creds file for user "{user}" of account "{account}": `{path}` does not exist',
            hint=f"write it with 'pynsc generate creds -a {account} -n {user} -o {path}'",
        )
    return Endpoint(
        urls=tuple(split_urls(urls)),
        credentials=UserCredentials.from_file(path),
        tls=tls or TlsOptions(),
        name=name,
    )


# Results ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Message:
    """A message as received: subject, payload, reply subject (``""``: none), headers."""

    subject: str
    data: bytes
    reply: str = ""
    headers: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def from_msg(cls, msg: Msg) -> Message:
        return cls(
            subject=msg.subject,
            data=bytes(msg.data),
            reply=msg.reply or "",
            headers=dict(msg.headers or {}),
        )

    @property
    def text(self) -> str:
        """The payload as text (bytes that are not UTF-8 shown as U+FFFD)."""
        return self.data.decode("utf-8", "replace")

    def to_dict(self) -> dict[str, Any]:
        """``subject``, ``reply``, ``data`` (the payload as text), ``size`` and ``headers``
        when there are any; a payload that is not UTF-8 is ``data_base64`` instead of
        ``data``."""
        result: dict[str, Any] = {"subject": self.subject, "reply": self.reply}
        try:
            result["data"] = self.data.decode("utf-8")
        except UnicodeDecodeError:
            result["data_base64"] = base64.b64encode(self.data).decode("ascii")
        result["size"] = len(self.data)
        if self.headers:
            result["headers"] = dict(self.headers)
        return result


@dataclass(frozen=True, slots=True)
class Published:
    """A publish the server accepted."""

    server: str
    subject: str
    size: int

    def to_dict(self) -> dict[str, Any]:
        return {"server": self.server, "subject": self.subject, "size": self.size}


@dataclass(frozen=True, slots=True)
class Reply:
    """The answer to a request, and how long it took (nanoseconds)."""

    server: str
    subject: str
    message: Message
    nanoseconds: int

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "subject": self.subject,
            "reply": self.message.to_dict(),
            "nanoseconds": self.nanoseconds,
        }


@dataclass(frozen=True, slots=True)
class RoundTrip:
    """A PING/PONG round trip to ``server``."""

    server: str
    nanoseconds: int

    def to_dict(self) -> dict[str, Any]:
        return {"server": self.server, "nanoseconds": self.nanoseconds}


@dataclass(frozen=True, slots=True)
class Received:
    """The ``number``-th message a listener got; ``answer`` is what a replier sent back
    (``None``: nothing, as the message had no reply subject or the listener only
    subscribes)."""

    number: int
    message: Message
    answer: bytes | None = None

    def to_dict(self) -> dict[str, Any]:
        result = {"number": self.number, **self.message.to_dict()}
        if self.answer is not None:
            answer = Message(subject=self.message.reply, data=self.answer).to_dict()
            result["answer"] = {k: v for k, v in answer.items() if k not in ("subject", "reply")}
        return result


@dataclass(frozen=True, slots=True)
class Listened:
    """How a listener ended: messages received, requests answered, whether ``stop`` ended
    it."""

    server: str
    subject: str
    received: int
    answered: int
    stopped: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "subject": self.subject,
            "received": self.received,
            "answered": self.answered,
            "stopped": self.stopped,
        }


# Operations -------------------------------------------------------------------------------------


async def publish(endpoint: Endpoint, subject: str, payload: bytes = b"") -> Published:
    """Publish ``payload`` to ``subject`` and wait until the server has processed it."""
    _check_literal(subject, "publish to")
    async with _session(endpoint) as session:
        await session.call(session.client.publish(subject, payload))
        await session.settle(f'publish to "{subject}"')
        return Published(server=session.server, subject=subject, size=len(payload))


async def request(
    endpoint: Endpoint,
    subject: str,
    payload: bytes = b"",
    *,
    timeout: float = DEFAULT_REQUEST_TIMEOUT,
) -> Reply:
    """Send a request to ``subject`` and wait up to ``timeout`` seconds for its reply."""
    import asyncio
    import time

    _check_literal(subject, "send a request to")
    async with _session(endpoint) as session:
        client = session.client
        inbox = client.new_inbox()
        sub = await session.call(client.subscribe(inbox, max_msgs=1))
        await session.settle(f'subscription to "{inbox}" (the reply inbox)')
        started = time.perf_counter_ns()
        await session.call(client.publish(subject, payload, reply=inbox))
        await session.settle(f'publish to "{subject}"')
        replies = sub.messages.__aiter__()
        remaining = max(timeout - (time.perf_counter_ns() - started) / 1e9, 0.001)
        try:
            msg = await asyncio.wait_for(replies.__anext__(), remaining)
        except asyncio.TimeoutError:
            raise RequestTimeoutError(
                f'request to "{subject}" timed out after {timeout:g}s: nothing replied'
            ) from None
        except StopAsyncIteration:
            raise session.closed() from None
        elapsed = time.perf_counter_ns() - started
        if msg.headers and msg.headers.get("Status") == _NO_RESPONDERS and not msg.data:
            raise NoRespondersError(f'no responders available for request to "{subject}"')
        return Reply(session.server, subject, Message.from_msg(msg), elapsed)


async def round_trip(endpoint: Endpoint) -> RoundTrip:
    """Time one PING/PONG with the server."""
    async with _session(endpoint) as session:
        seconds = await session.call(session.client.rtt())
        return RoundTrip(server=session.server, nanoseconds=round(seconds * 1e9))


async def listen(
    endpoint: Endpoint,
    subject: str,
    *,
    queue: str = "",
    max_messages: int | None = None,
    reply: bool = False,
    payload: bytes | None = None,
    on_ready: Callable[[str], None] | None = None,
    on_message: Callable[[Received], None] | None = None,
    stop: asyncio.Event | None = None,
) -> Listened:
    """Subscribe to ``subject`` (in ``queue`` when given) and hand each message to
    ``on_message``, until ``max_messages`` (``None``: no limit) have come or ``stop`` is set.

    With ``reply`` every message that has a reply subject is answered with ``payload``, or with
    its own data when ``payload`` is ``None``. ``on_ready`` gets the server URL once the server
    has the subscription. A subscription or an answer the user may not make raises
    :class:`PermissionViolationError`; the connection closing raises :class:`ToolError`.
    """
    import asyncio

    if max_messages is not None and max_messages < 1:
        raise ToolError(f"max messages must be greater than zero, not {max_messages}")
    async with _session(endpoint) as session:
        client = session.client
        sub = await session.call(client.subscribe(subject, queue=queue))
        if max_messages is not None:
            await session.call(sub.unsubscribe(limit=max_messages))
        in_queue = f' using queue "{queue}"' if queue else ""
        await session.settle(f'subscription to "{subject}"{in_queue}')
        if on_ready is not None:
            on_ready(session.server)
        messages = sub.messages.__aiter__()
        stopping = asyncio.ensure_future(stop.wait()) if stop is not None else None
        received = answered = 0
        stopped = False
        try:
            while max_messages is None or received < max_messages:
                following = asyncio.ensure_future(messages.__anext__())
                waiting = {following} if stopping is None else {following, stopping}
                done, _ = await asyncio.wait(waiting, return_when=asyncio.FIRST_COMPLETED)
                if following not in done:
                    following.cancel()
                    stopped = True
                    break
                try:
                    msg = following.result()
                except StopAsyncIteration:
                    raise session.closed() from None
                received += 1
                answer = None
                if reply and msg.reply:
                    answer = msg.data if payload is None else payload
                    await session.call(client.publish(msg.reply, answer))
                    await session.settle(f'publish to "{msg.reply}"')
                    answered += 1
                if on_message is not None:
                    on_message(Received(received, Message.from_msg(msg), answer))
        finally:
            if stopping is not None:
                stopping.cancel()
        return Listened(session.server, subject, received, answered, stopped)


# Running ----------------------------------------------------------------------------------------


def run(main: Coroutine[Any, Any, T], *, stop: asyncio.Event | None = None) -> T:
    """Run ``main`` in a new event loop, as :func:`asyncio.run`, with Ctrl-C handled.

    SIGINT sets ``stop`` when one is given and not yet set (a :func:`listen` given the same
    event then ends cleanly); otherwise it cancels ``main``, and :class:`KeyboardInterrupt`
    is raised. Off the main thread (no signal handling there) Ctrl-C is Python's own.
    """
    import asyncio
    import signal

    interrupted = False

    async def guarded() -> T:
        loop = asyncio.get_running_loop()
        task = asyncio.current_task()

        def on_sigint() -> None:
            nonlocal interrupted
            if stop is not None and not stop.is_set():
                stop.set()
                return
            interrupted = True
            if task is not None:
                task.cancel()

        installed = False
        with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
            loop.add_signal_handler(signal.SIGINT, on_sigint)
            installed = True
        try:
            return await main
        finally:
            if installed:
                loop.remove_signal_handler(signal.SIGINT)

    try:
        return asyncio.run(guarded())
    except asyncio.CancelledError:
        if interrupted:
            raise KeyboardInterrupt from None
        raise


# Connection -------------------------------------------------------------------------------------


class _Session:
    """An open connection, and which of its asynchronous errors were already seen."""

    def __init__(self, client: Client) -> None:
        self.client = client
        self._seen = client.last_error
        url = client.connected_url
        self.server = url.geturl() if url is not None else ""

    async def call(self, operation: Coroutine[Any, Any, T]) -> T:
        """Await a nats-py operation, its failures as :class:`ToolError`."""
        import nats.errors

        try:
            return await operation
        except nats.errors.Error as err:
            raise self.failure(err) from err

    async def settle(self, what: str) -> None:
        """Return once the server has processed all this client sent, then raise the
        permissions violation it reported meanwhile (``what`` the client did: ``publish to
        "a.b"``).

        Two flushes: nats-py 2.16 writes a flush's PING straight to the socket, ahead of
        commands still queued for its flusher task, so the first PONG can come back before the
        server has seen them; the second PING follows them. The server's ``-ERR`` for a
        refused command comes before that PONG, so it has been read by then.
        """
        await self.call(self.client.flush())
        await self.call(self.client.flush())
        error = self.client.last_error
        if error is None or error is self._seen:
            return
        self._seen = error
        if _PERMISSIONS in str(error).lower():
            # nats-py lower-cases the server's text, subject included: say it again
            raise PermissionViolationError(f"permissions violation for {what}")

    def failure(self, error: BaseException) -> ToolError:
        import nats.errors

        if isinstance(error, nats.errors.BadSubjectError):
            return ToolError("invalid subject (empty, or holding spaces or a bad wildcard)")
        if isinstance(error, nats.errors.ConnectionClosedError):
            return self.closed()
        return ToolError(_text(error))

    def closed(self) -> ToolError:
        """The connection went away: say so, with the server's reason when there is one."""
        error = self.client.last_error
        reason = f": {_text(error)}" if error is not None and error is not self._seen else ""
        return ToolError(f"the connection to {self.server or 'the server'} closed{reason}")


@contextlib.asynccontextmanager
async def _session(endpoint: Endpoint) -> AsyncIterator[_Session]:
    client = await connect(
        endpoint.urls, endpoint.credentials, tls=endpoint.tls, name=endpoint.name
    )
    try:
        yield _Session(client)
    finally:
        with contextlib.suppress(Exception):  # closing a broken connection may fail too
            await client.close()


def _text(error: BaseException) -> str:
    return (str(error) or type(error).__name__).removeprefix("nats: ")


def _check_literal(subject: str, what: str) -> None:
    if any(token in ("*", ">") for token in subject.split(".")):
        raise ToolError(f'cannot {what} "{subject}": wildcards are only for subscriptions')
