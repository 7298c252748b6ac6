"""The NATS protocol spoken by hand over a websocket, as a browser behind nats.ws would speak it
with nats-server's ``jwt_cookie``: the user JWT goes only in the ``Cookie`` header of the
websocket upgrade request, and ``CONNECT`` carries no credentials at all.

nats-py cannot add a cookie to its websocket upgrade, so this uses aiohttp directly. nats-server
sends protocol lines in binary frames; a line may span frames and a frame may hold several
lines, so everything goes through one buffer. Every wait is bounded by a timeout.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import aiohttp

__all__ = ["CONNECT", "WsNats", "ws_nats"]

CONNECT = 'CONNECT {"verbose":false,"protocol":1}\r\n'
"""What a cookie-authenticated client sends: no jwt, no sig, no user, no token."""

TIMEOUT = 3.0


class WsNats:
    """One websocket connection to nats-server, read line by line."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.buffer = b""
        self.closed = False
        self.info: dict[str, Any] = {}

    async def _fill(self, timeout: float) -> None:
        message = await self.ws.receive(timeout=timeout)
        if message.type in (aiohttp.WSMsgType.BINARY, aiohttp.WSMsgType.TEXT):
            data = message.data
            self.buffer += data if isinstance(data, bytes) else data.encode()
            return
        self.closed = True  # CLOSE, CLOSED or ERROR: nothing more will come

    async def _take(self, size: int, timeout: float) -> bytes:
        while len(self.buffer) < size and not self.closed:
            await self._fill(timeout)
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    async def line(self, timeout: float = TIMEOUT) -> str:
        """The next protocol line (without CRLF); ``""`` once the server has closed."""
        while b"\r\n" not in self.buffer:
            if self.closed:
                return ""
            await self._fill(timeout)
        raw, self.buffer = self.buffer.split(b"\r\n", 1)
        return raw.decode()

    async def send(self, text: str) -> None:
        await self.ws.send_bytes(text.encode())

    async def read_info(self) -> dict[str, Any]:
        first = await self.line()
        assert first.startswith("INFO "), first
        self.info = json.loads(first[5:])
        return self.info

    async def _message(self, line: str) -> str:
        size = int(line.split()[-1])
        payload = (await self._take(size + 2, TIMEOUT))[:size]
        return f"{line}: {payload.decode()}"

    async def until_pong(self) -> list[str]:
        """Every line up to the next ``PONG`` (``MSG`` lines followed by ``: payload``; async
        ``INFO`` updates left out). Stops early, with what came, if the server closes."""
        lines: list[str] = []
        while True:
            line = await self.line()
            if line in ("PONG", ""):
                return lines
            if line.startswith("INFO "):
                continue
            lines.append(await self._message(line) if line.startswith("MSG ") else line)

    async def next_message(self, timeout: float = TIMEOUT) -> str:
        """The next ``MSG`` (as ``MSG subject sid [reply] size: payload``), skipping ``INFO``
        and ``PONG``; another line (an ``-ERR``) fails."""
        while True:
            line = await self.line(timeout)
            if line.startswith("MSG "):
                return await self._message(line)
            assert line.startswith(("INFO ", "PONG")), f"expected a message, got {line!r}"

    async def connect(self) -> list[str]:
        """``CONNECT`` with no credentials, then ``PING``: ``[]`` when the server let us in (it
        answered ``PONG``), else what it said (``-ERR 'Authorization Violation'``)."""
        await self.send(CONNECT + "PING\r\n")
        return await self.until_pong()

    async def exchange(self, commands: str) -> list[str]:
        """Send ``commands`` (CRLF-terminated protocol text) and a ``PING``: what came back
        before the ``PONG``. The server handles a client's commands in order, so the messages
        and errors they caused all arrive before it."""
        await self.send(commands + "PING\r\n")
        return await self.until_pong()


@asynccontextmanager
async def ws_nats(
    url: str, *, cookie: str | None = None, headers: dict[str, str] | None = None
) -> AsyncIterator[WsNats]:
    """A websocket to ``url`` whose upgrade request carries the ``Cookie`` header ``cookie``
    (e.g. ``"jwt=eyJ…"``), after the server's ``INFO``."""
    sent = dict(headers or {})
    if cookie is not None:
        sent["Cookie"] = cookie
    timeout = aiohttp.ClientTimeout(total=None, connect=TIMEOUT, sock_read=TIMEOUT)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(url, headers=sent, autoping=True) as ws,
    ):
        client = WsNats(ws)
        await asyncio.wait_for(client.read_info(), TIMEOUT)
        yield client
