"""The nats-server account resolver protocol over ``$SYS``, pipelined.

A :class:`ResolverClient` wraps a connected system-account client and speaks the resolver's
subjects:

* :meth:`~ResolverClient.update` publishes every account JWT at once, each to
  ``$SYS.REQ.ACCOUNT.<pub>.CLAIMS.UPDATE`` with its own reply subject, and gathers the replies of
  all servers in one window;
* :meth:`~ResolverClient.list_accounts` (``$SYS.REQ.CLAIMS.LIST``) and
  :meth:`~ResolverClient.delete` (``$SYS.REQ.CLAIMS.DELETE``) gather one reply per server;
* :meth:`~ResolverClient.pack` (``$SYS.REQ.CLAIMS.PACK``) reads one server's stream of
  ``<pub>|<jwt>`` lines up to its empty terminator.

How a window ends: together with the requests, a ``$SYS.REQ.SERVER.PING`` asks every server to
say who it is; each answer names the server and its routes, so the set of servers that will
answer is known as soon as every server named has answered the ping (or, when that cannot be
told, e.g. across gateways, after :data:`PING_WINDOW`). The window closes as soon as every
request has a reply from each of those servers, and at the latest once ``timeout`` seconds pass
without any new reply. A server that is down is not named by its peers and is not waited for.

The per-account UPDATE subject is answered by every kind of resolver (full, cache, memory and
URL), where ``$SYS.REQ.CLAIMS.UPDATE`` is answered by full and cache resolvers only.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pynsc import _json
from pynsc.errors import PushError

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg

__all__ = [
    "DEFAULT_TIMEOUT",
    "PING_WINDOW",
    "ResolverClient",
    "ServerAccounts",
    "ServerReply",
    "delete_subject",
    "list_subject",
    "lookup_subject",
    "pack_subject",
    "ping_subject",
    "update_subject",
]

DEFAULT_TIMEOUT = 1.0
"""Seconds to wait for a reply (nsc's ``--timeout`` default)."""

PING_WINDOW = 0.5
"""How long to gather ping answers when the servers' routes do not tell how many there are."""

_PING = "$SYS.REQ.SERVER.PING"
_LIST = "$SYS.REQ.CLAIMS.LIST"
_DELETE = "$SYS.REQ.CLAIMS.DELETE"
_PACK = "$SYS.REQ.CLAIMS.PACK"


def update_subject(account: str) -> str:
    """``$SYS.REQ.ACCOUNT.<account>.CLAIMS.UPDATE``."""
    return f"$SYS.REQ.ACCOUNT.{account}.CLAIMS.UPDATE"


def lookup_subject(account: str) -> str:
    """``$SYS.REQ.ACCOUNT.<account>.CLAIMS.LOOKUP``."""
    return f"$SYS.REQ.ACCOUNT.{account}.CLAIMS.LOOKUP"


def list_subject() -> str:
    return _LIST


def delete_subject() -> str:
    return _DELETE


def pack_subject() -> str:
    return _PACK


def ping_subject() -> str:
    return _PING


@dataclass(frozen=True, slots=True)
class ServerReply:
    """One server's answer to one request.

    ``ok`` is whether it answered with ``data`` (success) rather than ``error``; ``code`` and
    ``message`` are what it said (an error's ``description``); ``account`` is the account the
    answer is about, when the server named one.
    """

    server: str
    server_id: str
    ok: bool
    code: int
    message: str
    account: str = ""
    data: Any = None
    #: an account server took the JWT for later (201/202): not served yet
    pending: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "server": self.server,
            "server_id": self.server_id,
            "ok": self.ok,
            "code": self.code,
            "message": self.message,
            "account": self.account,
            "pending": self.pending,
        }


@dataclass(frozen=True, slots=True)
class ServerAccounts:
    """One server's answer to LIST: the accounts its resolver holds."""

    server: str
    server_id: str
    accounts: tuple[str, ...]


def parse_reply(payload: bytes) -> ServerReply:
    """A resolver's JSON reply (``{"server":…,"data":…}`` or ``{"server":…,"error":…}``).

    Raises :class:`PushError` for anything else (not JSON, no server name).
    """
    try:
        body = _json.loads(payload)
    except ValueError as err:
        raise PushError(f"invalid resolver reply: {payload[:80]!r}") from err
    if not isinstance(body, dict):
        raise PushError(f"invalid resolver reply: {payload[:80]!r}")
    server = body.get("server")
    if not isinstance(server, dict) or not server.get("name"):
        raise PushError(f"resolver reply without a server name: {payload[:80]!r}")
    name = str(server["name"])
    server_id = str(server.get("id") or name)
    error = body.get("error")
    if isinstance(error, dict):
        return ServerReply(
            server=name,
            server_id=server_id,
            ok=False,
            code=_int(error.get("code"), 500),
            message=str(error.get("description", "")),
            account=str(error.get("account", "")),
        )
    data = body.get("data")
    if isinstance(data, dict):
        return ServerReply(
            server=name,
            server_id=server_id,
            ok=True,
            code=_int(data.get("code"), 200),
            message=str(data.get("message", "")),
            account=str(data.get("account", "")),
            data=data,
        )
    return ServerReply(server=name, server_id=server_id, ok=True, code=200, message="", data=data)


def _int(value: Any, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


# Gathering ----------------------------------------------------------------------------------------


@dataclass
class _Servers:
    """Who answered the ping, and who they said is out there."""

    answered: set[str] = field(default_factory=set)
    named: set[str] = field(default_factory=set)
    unknowable: bool = False  # gateways: the count cannot be told from routes

    def add(self, payload: bytes) -> None:
        try:
            body = _json.loads(payload)
            name = str(body["server"]["name"])
        except (ValueError, KeyError, TypeError):
            return
        self.answered.add(name)
        self.named.add(name)
        statsz = body.get("statsz")
        if not isinstance(statsz, dict):
            self.unknowable = True
            return
        for route in statsz.get("routes") or ():
            if isinstance(route, dict) and route.get("name"):
                self.named.add(str(route["name"]))
        if statsz.get("gateways"):
            self.unknowable = True

    @property
    def complete(self) -> bool:
        return bool(self.answered) and not self.unknowable and self.named <= self.answered


class _Window:
    """Replies to a batch of requests, and when the batch is done."""

    def __init__(
        self,
        count: int,
        *,
        timeout: float,
        on_reply: Callable[[int, ServerReply], None] | None,
    ) -> None:
        self.replies: list[dict[str, ServerReply]] = [{} for _ in range(count)]
        self.servers = _Servers()
        self.timeout = timeout
        self.on_reply = on_reply
        self.started = time.monotonic()
        self.last_activity = self.started
        self.changed = asyncio.Event()
        self.invalid: list[str] = []
        #: requests not yet answered by every server known
        self._pending = set(range(count))

    def ping(self, payload: bytes) -> None:
        self.servers.add(payload)
        self.changed.set()

    def reply(self, index: int, payload: bytes) -> None:
        self.last_activity = time.monotonic()
        try:
            reply = parse_reply(payload)
        except PushError as err:
            self.invalid.append(err.message)
            self.changed.set()
            return
        self.replies[index][reply.server] = reply
        # a server that answers was up, whether or not it answered the ping
        self.servers.named.add(reply.server)
        if self.on_reply is not None:
            self.on_reply(index, reply)
        self.changed.set()

    def _ping_settled(self, now: float) -> bool:
        return self.servers.complete or now - self.started >= min(PING_WINDOW, self.timeout)

    def done(self, now: float) -> bool:
        if not self._ping_settled(now):
            return False
        expected = self.servers.named
        if not expected:
            return False
        self._pending = {i for i in self._pending if not expected <= self.replies[i].keys()}
        return not self._pending

    async def wait(self) -> None:
        while True:
            now = time.monotonic()
            if self.done(now):
                return
            remaining = self.last_activity + self.timeout - now
            if remaining <= 0:
                return
            if not self._ping_settled(now):
                remaining = min(remaining, self.started + PING_WINDOW - now + 0.001)
            self.changed.clear()
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(self.changed.wait(), max(remaining, 0.001))


class ResolverClient:
    """Resolver requests on a client connected as a system-account user.

    ``client`` must be able to publish the subjects used and subscribe to its inbox prefix.
    The client is the caller's: :meth:`close` closes it.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self._prefix = client.new_inbox()
        self._subscribed = False
        self._windows: dict[str, _Window] = {}
        self._batches = 0

    async def close(self) -> None:
        await self.client.close()

    async def _subscribe(self) -> None:
        if self._subscribed:
            return
        await self.client.subscribe(f"{self._prefix}.>", cb=self._dispatch)
        self._subscribed = True

    async def _dispatch(self, msg: Msg) -> None:
        # <prefix>.<batch>.<request index> or <prefix>.<batch>.ping
        batch, _, which = msg.subject[len(self._prefix) + 1 :].partition(".")
        window = self._windows.get(batch)
        if window is None:
            return
        if which == "ping":
            window.ping(msg.data)
        elif which.isdigit():
            index = int(which)
            if index < len(window.replies):
                window.reply(index, msg.data)

    async def _gather(
        self,
        requests: Sequence[tuple[str, bytes]],
        *,
        timeout: float,
        on_reply: Callable[[int, ServerReply], None] | None = None,
    ) -> _Window:
        """Publish every request with its own reply subject (and one ping), then wait."""
        await self._subscribe()
        self._batches += 1
        batch = f"b{self._batches}"
        window = _Window(len(requests), timeout=timeout, on_reply=on_reply)
        self._windows[batch] = window
        try:
            base = f"{self._prefix}.{batch}"
            await self.client.publish(_PING, b"", reply=f"{base}.ping")
            for index, (subject, payload) in enumerate(requests):
                await self.client.publish(subject, payload, reply=f"{base}.{index}")
            await self.client.flush(timeout=max(int(timeout) + 5, 10))
            window.started = window.last_activity = time.monotonic()
            await window.wait()
        finally:
            del self._windows[batch]
        return window

    async def update(
        self,
        tokens: Sequence[tuple[str, str]],
        *,
        timeout: float = DEFAULT_TIMEOUT,
        on_reply: Callable[[str, ServerReply], None] | None = None,
    ) -> dict[str, list[ServerReply]]:
        """Push ``(account public key, account JWT)`` pairs; each account's replies, one per
        server that answered (in the order they came)."""
        keys = [key for key, _ in tokens]

        def report(index: int, reply: ServerReply) -> None:
            if on_reply is not None:
                on_reply(keys[index], reply)

        window = await self._gather(
            [(update_subject(key), token.encode()) for key, token in tokens],
            timeout=timeout,
            on_reply=report,
        )
        return {key: list(window.replies[i].values()) for i, key in enumerate(keys)}

    async def list_accounts(self, *, timeout: float = DEFAULT_TIMEOUT) -> list[ServerAccounts]:
        """Every server's list of the accounts it holds."""
        window = await self._gather([(_LIST, b"")], timeout=timeout)
        found = []
        for reply in window.replies[0].values():
            data = reply.data if isinstance(reply.data, list) else []
            accounts = tuple(str(key) for key in data if isinstance(key, str))
            found.append(ServerAccounts(reply.server, reply.server_id, accounts))
        return found

    async def delete(self, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> list[ServerReply]:
        """Send a delete request (a generic JWT listing the accounts, signed by an operator
        key); every server's reply."""
        window = await self._gather([(_DELETE, token.encode())], timeout=timeout)
        return list(window.replies[0].values())

    async def pack(self, *, timeout: float = DEFAULT_TIMEOUT) -> list[tuple[str, str]]:
        """Every account JWT one full resolver holds, as ``(public key, JWT)`` pairs.

        One server streams them (a queue group); an empty message ends the stream. Raises
        :class:`PushError` when no server answers within ``timeout`` or the stream stalls.
        """
        inbox = self.client.new_inbox()
        queue: asyncio.Queue[bytes] = asyncio.Queue()

        async def collect(msg: Msg) -> None:
            queue.put_nowait(msg.data)

        sub = await self.client.subscribe(inbox, cb=collect)
        pairs: list[tuple[str, str]] = []
        try:
            await self.client.publish(_PACK, b"", reply=inbox)
            await self.client.flush()
            while True:
                try:
                    data = await asyncio.wait_for(queue.get(), timeout)
                except asyncio.TimeoutError as err:
                    if not pairs:
                        raise PushError(
                            f"no full nats resolver answered the pack request within "
                            f"{timeout:g}s"
                        ) from err
                    raise PushError(
                        f"the pack stream stopped after {len(pairs)} accounts"
                    ) from err
                if not data:
                    return pairs
                pairs.extend(parse_pack(data))
        finally:
            await sub.unsubscribe()


def parse_pack(data: bytes) -> list[tuple[str, str]]:
    """``<pub>|<jwt>`` lines of one pack message."""
    pairs = []
    for line in data.decode("utf-8", "replace").splitlines():
        key, sep, token = line.strip().partition("|")
        if sep and key and token:
            pairs.append((key, token))
    return pairs
