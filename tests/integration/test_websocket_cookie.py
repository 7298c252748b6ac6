"""Browsers over websockets, without a browser: nats-server reads the user JWT from the cookie
named by ``jwt_cookie`` in the configuration pynsc writes, and enforces what the JWT says.

The server runs the MEMORY resolver config of :func:`pynsc.store.serverconfig.server_config`
with its websocket block (``no_tls``, ``jwt_cookie: "jwt"``) and ``debug: true``, so its log
says why a client was refused. Clients speak the NATS protocol by hand over aiohttp
(:mod:`tests.integration.wsclient`): the JWT travels only in the ``Cookie`` header of the
upgrade request, ``CONNECT`` carries no credentials, as with nats.ws in a page.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass

import pytest
from nats.aio.msg import Msg

from pynsc import claims, keys
from pynsc.keys import KeyPair
from pynsc.store.serverconfig import (
    AccountEntry,
    ConfigKind,
    ServerInventory,
    WebsocketConfig,
    server_config,
)
from pynsc.web import jwt_cookie

from .natsserver import NatsServer, StartServer, connect_url, free_port, refusal, write_creds
from .wsclient import ws_nats

pytestmark = pytest.mark.nats_server

REFUSED = "-ERR 'Authorization Violation'"
SESSION = "session-1"


@dataclass(frozen=True)
class World:
    """Operator, system account and account ``A``; a server listening for websockets."""

    account: KeyPair
    server: NatsServer
    ws_port: int

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.ws_port}"

    def user_jwt(
        self, *, bearer: bool = True, exp: int | None = None, name: str = SESSION
    ) -> tuple[str, KeyPair]:
        """A session user as a web backend issues it: ``projects.42.>`` and its own inbox
        prefix, websocket connections only, one hour."""
        user = keys.generate("user")
        expires = int(time.time()) + 3600 if exp is None else exp
        uc = claims.UserClaims(sub=user.public_key, name=name, exp=expires)
        uc.nats.bearer_token = bearer
        uc.nats.pub.allow = ["projects.42.>"]
        uc.nats.sub.allow = ["projects.42.>", f"_INBOX.{name}.>"]
        uc.nats.allowed_connection_types = ["WEBSOCKET"]
        return claims.encode(uc, self.account), user


def _inventory() -> tuple[ServerInventory, KeyPair]:
    operator, system, account = (keys.generate(k) for k in ("operator", "account", "account"))
    oc = claims.OperatorClaims(sub=operator.public_key, name="O")
    oc.nats.system_account = system.public_key
    entries = [
        AccountEntry(name, key.public_key,
                     claims.encode(claims.AccountClaims(sub=key.public_key, name=name), operator))
        for name, key in (("SYS", system), ("A", account))
    ]  # fmt: skip
    entries.sort(key=lambda e: e.public_key)
    inventory = ServerInventory("O", claims.encode(oc, operator), tuple(entries), system.public_key)
    return inventory, account


@pytest.fixture(scope="module")
def world(start_nats_server: StartServer) -> World:
    inventory, account = _inventory()
    ws_port = free_port()
    websocket = WebsocketConfig(port=ws_port, host="127.0.0.1", jwt_cookie="jwt", no_tls=True)
    body = server_config(inventory, ConfigKind.MEMORY, websocket=websocket) + "debug: true\n"
    server = start_nats_server(body, name="websocket")
    return World(account, server, ws_port)


async def _connect(url: str, cookie: str | None) -> list[str]:
    async with ws_nats(url, cookie=cookie) as client:
        return await client.connect()


def connect(world: World, cookie: str | None) -> list[str]:
    return asyncio.run(_connect(world.ws_url, cookie))


# Let in ---------------------------------------------------------------------------------------


def test_bearer_jwt_in_the_cookie_lets_the_client_in(world: World) -> None:
    token, user = world.user_jwt()
    cookie = jwt_cookie(token)  # what the web backend sets
    since = world.server.log_mark()

    assert connect(world, f"{cookie.name}={cookie.value}") == []

    world.server.wait_for_log(f'Authenticated JWT: Client "{user.public_key}"', since=since)


def test_the_cookie_is_found_among_others(world: World) -> None:
    token, _ = world.user_jwt()

    assert connect(world, f"theme=dark; jwt={token}; lang=en") == []


def test_cookie_user_exchanges_on_its_own_subjects_only(world: World) -> None:
    token, _ = world.user_jwt()

    async def scenario() -> tuple[list[str], list[str], list[str]]:
        async with ws_nats(world.ws_url, cookie=f"jwt={token}") as client:
            assert await client.connect() == []
            echoed = await client.exchange(
                "SUB projects.42.> 1\r\nPUB projects.42.chat 5\r\nhello\r\n"
            )
            pub_outside = await client.exchange(
                "PUB projects.43.chat 4\r\nnope\r\nPUB _INBOX.session-1.x 2\r\nno\r\n"
            )
            sub_outside = await client.exchange(
                "SUB projects.43.> 3\r\nSUB _INBOX.> 4\r\nSUB _INBOX.session-2.> 5\r\n"
            )
            return echoed, pub_outside, sub_outside

    echoed, pub_outside, sub_outside = asyncio.run(scenario())

    assert echoed == ["MSG projects.42.chat 1 5: hello"]
    assert pub_outside == [
        "-ERR 'Permissions Violation for Publish to \"projects.43.chat\"'",
        "-ERR 'Permissions Violation for Publish to \"_INBOX.session-1.x\"'",
    ]
    assert sub_outside == [
        "-ERR 'Permissions Violation for Subscription to \"projects.43.>\"'",
        "-ERR 'Permissions Violation for Subscription to \"_INBOX.>\"'",
        "-ERR 'Permissions Violation for Subscription to \"_INBOX.session-2.>\"'",
    ]


def test_replies_reach_the_cookie_user_on_its_own_inbox_prefix(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A backend service answers a request the page made with ``inboxPrefix:
    "_INBOX.session-1"``: the reply comes back under the one inbox prefix this user may read
    (not ``_INBOX.>``, which would let it read every other session's replies)."""
    service = keys.generate("user")
    service_jwt = claims.encode(claims.UserClaims(sub=service.public_key, name="svc"),
                                world.account)  # fmt: skip
    creds = write_creds(
        tmp_path_factory.mktemp("svc") / "svc.creds",
        keys.format_creds(service_jwt, service.require_seed()),
    )
    token, _ = world.user_jwt()

    async def scenario() -> str:
        responder = await connect_url(world.server.url, creds)
        try:
            async def answer(msg: Msg) -> None:
                await msg.respond(b"pong:" + msg.data)

            await responder.subscribe("projects.42.ping", cb=answer)
            await responder.flush()
            async with ws_nats(world.ws_url, cookie=f"jwt={token}") as client:
                assert await client.connect() == []
                sent = await client.exchange(
                    "SUB _INBOX.session-1.> 1\r\n"
                    "PUB projects.42.ping _INBOX.session-1.r1 2\r\nhi\r\n"
                )
                assert sent == []
                return await client.next_message()
        finally:
            await responder.close()

    assert asyncio.run(scenario()) == "MSG _INBOX.session-1.r1 1 7: pong:hi"


def test_the_server_ends_the_session_when_the_jwt_expires(world: World) -> None:
    """The cookie's Max-Age follows ``exp``, and so does the connection: a page must get a new
    session (a new cookie) before then, and a reconnect sends the new cookie."""
    token, _ = world.user_jwt(exp=int(time.time()) + 2)

    async def scenario() -> tuple[list[str], str]:
        async with ws_nats(world.ws_url, cookie=f"jwt={token}") as client:
            connected = await client.connect()
            line = await client.line(timeout=5)
            while line.startswith("INFO "):
                line = await client.line(timeout=5)
            return connected, line

    connected, last = asyncio.run(scenario())

    assert connected == []
    assert last == "-ERR 'User Authentication Expired'"


# Refused --------------------------------------------------------------------------------------


def test_non_bearer_jwt_in_the_cookie_is_refused(world: World) -> None:
    """The server wants its nonce signed by the user's seed, which a cookie cannot carry."""
    token, _ = world.user_jwt(bearer=False)
    since = world.server.log_mark()

    assert connect(world, f"jwt={token}") == [REFUSED]

    world.server.wait_for_log("Signature missing", since=since)


def test_expired_jwt_in_the_cookie_is_refused(world: World) -> None:
    token, _ = world.user_jwt(exp=int(time.time()) - 5)
    since = world.server.log_mark()

    assert connect(world, f"jwt={token}") == [REFUSED]

    world.server.wait_for_log("claim is expired", since=since)


def test_no_cookie_is_refused(world: World) -> None:
    assert connect(world, None) == [REFUSED]


def test_a_cookie_of_another_name_is_refused(world: World) -> None:
    token, _ = world.user_jwt()

    assert connect(world, f"token={token}") == [REFUSED]


def test_a_websocket_only_user_is_refused_over_plain_tcp(
    world: World, tmp_path_factory: pytest.TempPathFactory
) -> None:
    token, user = world.user_jwt()
    creds = write_creds(
        tmp_path_factory.mktemp("creds") / "session.creds",
        keys.format_creds(token, user.require_seed()),
    )

    assert "Authorization Violation" in asyncio.run(
        refusal(world.server, user_credentials=str(creds))
    )
