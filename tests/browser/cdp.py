"""Headless Chromium driven over the Chrome DevTools Protocol, from Python (aiohttp).

:class:`Chromium` starts Debian's ``/usr/bin/chromium`` (``$CHROMIUM`` overrides it) headless
with a throw-away profile and ``--remote-debugging-port=0``; the port it picked is read from
the ``DevToolsActivePort`` file it writes in the profile. :func:`devtools` opens one DevTools
connection to it; :meth:`DevTools.new_page` gives a tab in a browser context of its own (a
fresh cookie jar, like an incognito window). Pages run JavaScript with :meth:`Page.evaluate`,
and :meth:`Page.wait_for` polls an expression until it holds. Console messages and uncaught
exceptions are kept, to explain a failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import os
import shutil
import subprocess
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp

__all__ = ["BrowserError", "Chromium", "DevTools", "Page", "chromium_binary", "devtools"]

START_TIMEOUT = 20.0
CALL_TIMEOUT = 15.0
_POLL = 0.05

FLAGS = (
    "--headless",
    "--no-sandbox",  # root in CI containers
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-extensions",
    "--disable-dev-shm-usage",
    "--remote-debugging-address=127.0.0.1",
    "--remote-debugging-port=0",
)


class BrowserError(AssertionError):
    """The browser did not start, or a DevTools call or page script failed."""


def chromium_binary() -> Path | None:
    """``$CHROMIUM``, else Debian's ``/usr/bin/chromium``, else ``chromium`` on PATH."""
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", shutil.which("chromium")):
        if candidate and os.access(candidate, os.X_OK):
            return Path(candidate)
    return None


class Chromium:
    """One headless Chromium process with its own profile in ``profile``."""

    def __init__(self, binary: Path, profile: Path) -> None:
        self.binary = binary
        self.profile = profile
        self.log = profile.parent / f"{profile.name}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.endpoint = ""

    def start(self) -> Chromium:
        self.profile.mkdir(parents=True, exist_ok=True)
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(
                [str(self.binary), *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if self.process.poll() is not None:
                raise BrowserError(f"chromium exited ({self.process.returncode})\n{self.tail()}")
            with contextlib.suppress(OSError):
                lines = port_file.read_text().split()
                if len(lines) == 2:
                    self.endpoint = f"ws://127.0.0.1:{lines[0]}{lines[1]}"
                    return self
            if time.monotonic() > deadline:
                self.stop()
                raise BrowserError(f"chromium did not open its DevTools port\n{self.tail()}")
            time.sleep(_POLL)

    def tail(self, lines: int = 20) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


class DevTools:
    """One DevTools websocket: numbered calls, their answers, and the events of each page."""

    def __init__(self, ws: aiohttp.ClientWebSocketResponse) -> None:
        self.ws = ws
        self.ids = itertools.count(1)
        self.pending: dict[int, asyncio.Future[dict[str, Any]]] = {}
        self.pages: dict[str, Page] = {}
        self.reader = asyncio.create_task(self._read())

    async def _read(self) -> None:
        async for message in self.ws:
            if message.type != aiohttp.WSMsgType.TEXT:
                break
            data = json.loads(message.data)
            if "id" in data:
                future = self.pending.pop(data["id"], None)
                if future is not None and not future.done():
                    future.set_result(data)
            elif data.get("sessionId") in self.pages:
                self.pages[data["sessionId"]].on_event(data["method"], data.get("params", {}))
        for future in self.pending.values():
            if not future.done():
                future.set_exception(BrowserError("the DevTools connection closed"))

    async def call(self, method: str, session: str | None = None, **params: Any) -> Any:
        """Call ``method``; its ``result`` (a DevTools error raises :class:`BrowserError`)."""
        call_id = next(self.ids)
        message: dict[str, Any] = {"id": call_id, "method": method, "params": params}
        if session is not None:
            message["sessionId"] = session
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self.pending[call_id] = future
        await self.ws.send_str(json.dumps(message))
        answer = await asyncio.wait_for(future, CALL_TIMEOUT)
        if "error" in answer:
            raise BrowserError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    async def new_page(self) -> Page:
        """A blank tab in a new browser context (its own cookies), with Page, Runtime and
        Network domains on."""
        context = (await self.call("Target.createBrowserContext"))["browserContextId"]
        target = (await self.call("Target.createTarget", url="about:blank",
                                  browserContextId=context))["targetId"]  # fmt: skip
        session = (await self.call("Target.attachToTarget", targetId=target, flatten=True))[
            "sessionId"
        ]
        page = Page(self, session, context)
        self.pages[session] = page
        for domain in ("Page", "Runtime", "Network"):
            await page.call(f"{domain}.enable")
        return page

    async def close(self) -> None:
        self.reader.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.reader


@asynccontextmanager
async def devtools(browser: Chromium) -> AsyncIterator[DevTools]:
    """A DevTools connection to ``browser`` for the duration of the block."""
    timeout = aiohttp.ClientTimeout(total=None, connect=CALL_TIMEOUT)
    async with (
        aiohttp.ClientSession(timeout=timeout) as session,
        session.ws_connect(browser.endpoint, max_msg_size=0) as ws,
    ):
        tools = DevTools(ws)
        try:
            yield tools
        finally:
            await tools.close()


class Page:
    """A tab: navigate, evaluate, wait; what it logged."""

    def __init__(self, tools: DevTools, session: str, context: str) -> None:
        self.tools = tools
        self.session = session
        self.context = context
        self.console: list[str] = []
        self.loaded = asyncio.Event()

    def on_event(self, method: str, params: dict[str, Any]) -> None:
        if method == "Page.loadEventFired":
            self.loaded.set()
        elif method == "Runtime.consoleAPICalled":
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.console.append(f"console.{params['type']}: {args}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.console.append(f"uncaught: {text}")

    async def call(self, method: str, **params: Any) -> Any:
        return await self.tools.call(method, self.session, **params)

    async def goto(self, url: str) -> None:
        """Open ``url`` and wait for its load event."""
        self.loaded.clear()
        result = await self.call("Page.navigate", url=url)
        if result.get("errorText"):
            raise BrowserError(f"cannot open {url}: {result['errorText']}")
        await asyncio.wait_for(self.loaded.wait(), CALL_TIMEOUT)

    async def evaluate(self, expression: str) -> Any:
        """The value of ``expression`` (awaited when a promise), returned by value."""
        result = await self.call(
            "Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True
        )
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"{expression}: {text}\n{self.explain()}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, timeout: float = 10.0) -> Any:
        """Poll ``expression`` until it is truthy; its value."""
        deadline = time.monotonic() + timeout
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"still false after {timeout:g}s: {expression}\n"
                                   f"{self.explain()}")  # fmt: skip
            await asyncio.sleep(_POLL)

    async def cookies(self, url: str) -> list[dict[str, Any]]:
        cookies: list[dict[str, Any]] = (await self.call("Network.getCookies", urls=[url]))[
            "cookies"
        ]
        return cookies

    async def set_cookie(self, url: str, name: str, value: str) -> None:
        """Put a cookie in this page's jar as a backend would have set it (HttpOnly)."""
        done = await self.call("Network.setCookie", url=url, name=name, value=value,
                               httpOnly=True, secure=True, sameSite="Strict")  # fmt: skip
        if not done.get("success", True):
            raise BrowserError(f"cookie {name} not set for {url}")

    def explain(self) -> str:
        return "page console:\n" + "\n".join(f"  {line}" for line in self.console[-30:])
