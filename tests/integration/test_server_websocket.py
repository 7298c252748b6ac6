"""``pynsc server run --websocket PORT --jwt-cookie NAME --no-tls``: local nats-servers that
let browser-like clients in by a bearer user JWT in a cookie, and what ``server run`` refuses.

The store is made with the CLI (operator ``O`` with ``SYS``, account ``A``); the cookie user is
a bearer JWT signed with A's key from the keystore, as a web backend would issue it.
"""

from __future__ import annotations

import asyncio
import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from pynsc import claims
from pynsc.errors import ServerError
from pynsc.keys import KeyStore, generate
from pynsc.localserver import ServerSpec, process
from pynsc.localserver.state import read_state
from pynsc.store.serverconfig import WebsocketConfig
from tests.cli.conftest import assert_one_error

from .natsserver import free_port
from .test_server_command import Home, Servers, _kill_leftovers
from .wsclient import ws_nats

pytestmark = pytest.mark.nats_server

BROWSER = ["--jwt-cookie", "jwt", "--no-tls"]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Home:
    world = Home(tmp_path_factory.mktemp("ws-home"))
    world.ok("add", "operator", "--sys", "-n", "O")
    world.ok("add", "account", "A")
    return world


@pytest.fixture
def servers(home: Home, tmp_path: Path) -> Iterator[Servers]:
    helper = Servers(home, tmp_path / "srv")
    yield helper
    state = read_state(helper.dir) if helper.dir.is_dir() else None
    home.run("server", "stop", "--dir", str(helper.dir))
    _kill_leftovers(state)


def _free_pair() -> int:
    """A port ``p`` with ``p + 1`` free too."""
    while True:
        port = free_port()
        if port < 65535 and process.port_in_use("127.0.0.1", port + 1) is None:
            return port


def _bearer_jwt(home: Home) -> str:
    account = KeyStore(home.path).get(home.public_key("A"))
    assert account is not None
    user = generate("user")
    uc = claims.UserClaims(sub=user.public_key, name="browser", exp=int(time.time()) + 600)
    uc.nats.bearer_token = True
    uc.nats.pub.allow = uc.nats.sub.allow = ["projects.42.>"]
    uc.nats.allowed_connection_types = ["WEBSOCKET"]
    return claims.encode(uc, account)


async def _across(first: str, second: str, cookie: str) -> list[str]:
    """Subscribe over ``first``'s websocket, publish over ``second``'s: what arrives."""
    async with ws_nats(first, cookie=cookie) as sub, ws_nats(second, cookie=cookie) as pub:
        assert await sub.connect() == []
        assert await pub.connect() == []
        assert await sub.exchange("SUB projects.42.> 1\r\n") == []
        assert await pub.exchange("PUB projects.42.x 2\r\nhi\r\n") == []
        return [await sub.next_message()]


def test_cluster_with_websockets_lets_cookie_users_in_on_every_node(
    home: Home, servers: Servers
) -> None:
    port, ws_port = _free_pair(), _free_pair()

    result = servers.ok("run", "--background", "--cluster", "2", "--port", str(port),
                        "--websocket", str(ws_port), *BROWSER, "--json")  # fmt: skip

    data = json.loads(result.stdout)["data"]
    urls = [f"ws://127.0.0.1:{ws_port}", f"ws://127.0.0.1:{ws_port + 1}"]
    assert data["websocket_urls"] == urls
    assert [node["websocket_url"] for node in data["nodes"]] == urls
    state = servers.state()
    assert state.websocket_urls == urls
    assert 'jwt_cookie: "jwt"' in state.nodes[0].config.read_text()
    cookie = f"jwt={_bearer_jwt(home)}"
    # the account was pushed; a message crosses the cluster from one websocket to the other
    # (a route may take a moment to carry the subscription: retry briefly, never sleep blindly)
    deadline = time.monotonic() + 5
    while True:
        try:
            received = asyncio.run(_across(urls[0], urls[1], cookie))
            break
        except (AssertionError, asyncio.TimeoutError):
            if time.monotonic() > deadline:
                raise
    assert received == ["MSG projects.42.x 1 2: hi"]
    status = json.loads(servers.ok("status", "--json").stdout)["data"]
    assert [node["websocket_url"] for node in status["nodes"]] == urls


def test_run_reports_the_websocket_url(home: Home, servers: Servers) -> None:
    port, ws_port = free_port(), free_port()

    result = servers.ok("run", "--background", "--port", str(port), "--websocket", str(ws_port),
                        *BROWSER)  # fmt: skip

    assert result.stdout == f"nats://127.0.0.1:{port}\n"
    assert f": nats://127.0.0.1:{port}, websocket ws://127.0.0.1:{ws_port}, monitor " in (
        result.stderr
    )


def test_websocket_without_tls_choice_is_a_usage_error(servers: Servers) -> None:
    result = servers.run("run", "--background", "--websocket", str(free_port()))

    assert_one_error(result, exit_code=2, contains="nats-server requires TLS")
    assert read_state(servers.dir) is None


def test_taken_websocket_port_is_one_line(servers: Servers) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        ws_port = taken.getsockname()[1]
        result = servers.run("run", "--background", "--port", str(free_port()),
                             "--websocket", str(ws_port), "--no-tls")  # fmt: skip

    line = assert_one_error(result, contains=f"cannot listen for websockets on 127.0.0.1:{ws_port}")
    assert "address already in use" in line
    assert "--websocket PORT" in result.stderr
    assert read_state(servers.dir) is None


def test_spec_gives_each_node_its_websocket_port() -> None:
    spec = ServerSpec(port=4222, nodes=3, websocket=WebsocketConfig(port=8080, no_tls=True))

    assert spec.websocket_ports == [8080, 8081, 8082]
    third = spec.node_websocket(2)
    assert third is not None
    assert (third.port, third.host, third.url) == (8082, "127.0.0.1", "ws://127.0.0.1:8082")
    assert ServerSpec().node_websocket(0) is None


def test_spec_refuses_a_port_for_both() -> None:
    with pytest.raises(ServerError, match="port 4223 cannot be both a client and a websocket"):
        ServerSpec(port=4222, nodes=2, websocket=WebsocketConfig(port=4223, no_tls=True))
