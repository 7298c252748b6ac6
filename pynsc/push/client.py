"""Connecting to nats-servers with nats-py: a user's JWT and seed, TLS, and failures as
:class:`~pynsc.errors.PushError` lines that name the URL and the reason.

nats-py is imported inside :func:`connect`, so importing this module is cheap. ``ws://`` and
``wss://`` URLs need nats-py's websocket transport, which needs ``aiohttp`` (the ``ws`` extra of
pynsc).
"""

from __future__ import annotations

import base64
import contextlib
import os
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pynsc.errors import NscError, PushError
from pynsc.push.tls import TlsOptions

if TYPE_CHECKING:
    from nats.aio.client import Client

__all__ = [
    "CONNECT_TIMEOUT",
    "NATS_SCHEMES",
    "UserCredentials",
    "check_nats_url",
    "connect",
    "is_nats_url",
    "split_urls",
]

CONNECT_TIMEOUT = 5.0
"""Seconds to wait for a server to accept the connection (nsc's 5 s)."""

NATS_SCHEMES = ("nats", "tls", "ws", "wss")
_CLOSE_TIMEOUT = 0.5
_WS_SCHEMES = ("ws", "wss")


@dataclass(frozen=True, slots=True)
class UserCredentials:
    """What a NATS client proves itself with: the user JWT and the user's seed."""

    jwt: str
    seed: str

    @classmethod
    def from_creds(cls, text: str) -> UserCredentials:
        """From the text of a creds file."""
        from pynsc.keys import parse_creds

        creds = parse_creds(text)
        return cls(jwt=creds.jwt, seed=creds.seed)

    @classmethod
    def from_file(cls, path: str | Path) -> UserCredentials:
        """From a creds file; a missing or unreadable file is a :class:`PushError`."""
        try:
            text = Path(os.path.expanduser(path)).read_text(encoding="utf-8")
        except OSError as err:
            raise PushError(f"cannot read creds file {str(path)!r}: {err.strerror or err}") from err
        return cls.from_creds(text)

    def sign_nonce(self, nonce: str) -> bytes:
        """The server's nonce signed with the seed, base64 as nats-server expects it."""
        from pynsc.keys import from_seed

        return base64.b64encode(from_seed(self.seed).sign(nonce.encode()))


def split_urls(text: str | Sequence[str]) -> list[str]:
    """Server URLs from a comma-separated string (or a list of them), blanks dropped."""
    parts = [text] if isinstance(text, str) else list(text)
    return [url.strip() for part in parts for url in part.split(",") if url.strip()]


def is_nats_url(url: str) -> bool:
    """Whether ``url`` is a nats-server URL (``nats://``, ``tls://``, ``ws://``, ``wss://``)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # "nats://[": an unterminated IPv6 host
        return False
    return parts.scheme.lower() in NATS_SCHEMES and bool(parts.netloc)


def check_nats_url(url: str) -> str:
    """``url`` stripped; a :class:`PushError` unless it is a nats-server URL with a host."""
    cleaned = url.strip()
    if not is_nats_url(cleaned):
        raise PushError(
            f"{cleaned!r} is not a nats-server url",
            hint="use nats://host:port (or tls://, ws://, wss://)",
        )
    return cleaned


def _check_ws_transport(urls: Sequence[str]) -> None:
    if not any(urllib.parse.urlsplit(u).scheme.lower() in _WS_SCHEMES for u in urls):
        return
    try:
        import aiohttp  # noqa: F401 - only checking that nats-py's ws transport can load
    except ImportError as err:
        raise PushError(
            "websocket urls (ws://, wss://) need the aiohttp package",
            hint="install pynsc with the ws extra: pip install 'pynsc[ws]'",
        ) from err


async def connect(
    urls: str | Sequence[str],
    credentials: UserCredentials | None = None,
    *,
    tls: TlsOptions | None = None,
    name: str = "pynsc",
    timeout: float = CONNECT_TIMEOUT,
    inbox_prefix: str | None = None,
) -> Client:
    """A nats-py client connected to the first of ``urls`` that accepts it, with no
    reconnects.

    Raises :class:`PushError` with one line naming each URL and why it did not accept the
    connection (``cannot connect to nats://h:1: connection refused``).
    """
    import asyncio

    servers = [check_nats_url(url) for url in split_urls(urls)]
    if not servers:
        raise PushError("no nats-server url given")
    _check_ws_transport(servers)
    tls = tls or TlsOptions()
    import nats.errors
    from nats.aio.client import Client

    options: dict[str, object] = {
        "name": name,
        "allow_reconnect": False,
        # nats-py reads 0 as "no limit" and then retries forever; 1 means two quick attempts
        "max_reconnect_attempts": 1,
        "reconnect_time_wait": 0,
        "connect_timeout": timeout,
    }
    if inbox_prefix:
        options["inbox_prefix"] = inbox_prefix
    if credentials is not None:
        token = credentials.jwt.encode()
        options["user_jwt_cb"] = lambda: token
        options["signature_cb"] = credentials.sign_nonce
    if any(tls.wanted_for(server) for server in servers):
        options["tls"] = tls.context()
        options["tls_handshake_first"] = tls.first
    failures: list[str] = []
    for server in servers:
        errors: list[BaseException] = []

        async def on_error(error: Exception, seen: list[BaseException] = errors) -> None:
            seen.append(error)

        client = Client()
        try:
            await asyncio.wait_for(
                client.connect(servers=[server], error_cb=on_error, **options),  # type: ignore[arg-type]
                2 * timeout + 1,
            )
        except (nats.errors.Error, OSError, asyncio.TimeoutError, NscError) as err:
            await _close_quietly(client)
            failures.append(f"{server}: {_reason([*errors, err])}")
            continue
        return client
    raise PushError(f"cannot connect to {'; '.join(failures)}")


async def _close_quietly(client: Client) -> None:
    """Close a client whose connection failed; nats-py can wait forever on the transport of a
    failed TLS handshake, so the wait is bounded."""
    import asyncio

    with contextlib.suppress(Exception):
        await asyncio.wait_for(client.close(), _CLOSE_TIMEOUT)


def _reason(errors: Sequence[BaseException]) -> str:
    """The most telling of the errors seen while connecting."""
    import asyncio
    import ssl

    import nats.errors

    for error in errors:
        if isinstance(error, nats.errors.AuthorizationError) or (
            "authorization violation" in str(error).lower()
        ):
            return "authorization violation (the server refused the user)"
        if isinstance(error, PushError):
            return error.message
    for error in errors:
        if isinstance(error, ssl.SSLError):
            return f"TLS error: {error.reason or error}"
        if isinstance(error, ConnectionRefusedError) or isinstance(
            getattr(error, "os_error", None), ConnectionRefusedError
        ):
            return "connection refused"
        if isinstance(error, (asyncio.TimeoutError, nats.errors.TimeoutError)):
            return "timed out"
        if isinstance(error, OSError):
            return error.strerror or str(error) or type(error).__name__
    for error in errors:
        text = str(error)
        if text and not isinstance(error, nats.errors.NoServersError):
            return text.removeprefix("nats: ")
    return "no server accepted the connection"
