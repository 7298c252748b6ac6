"""``pynsc generate config --websocket PORT [--websocket-host H] [--jwt-cookie NAME] [--no-tls |
--websocket-cert F --websocket-key F]``: the block it adds, what it refuses, and a real
nats-server started from the file letting in a browser-like client by its cookie alone."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.store.serverconfig import RESOLVER_CONF, WebsocketConfig, websocket_config
from tests.integration.configserver import config_servers
from tests.integration.natsserver import free_port
from tests.integration.wsclient import ws_nats

from .conftest import Env

BROWSER_FLAGS = ["--websocket", "8080", "--websocket-host", "127.0.0.1", "--jwt-cookie", "jwt",
                 "--no-tls"]  # fmt: skip
BROWSER_BLOCK = websocket_config(
    WebsocketConfig(port=8080, host="127.0.0.1", jwt_cookie="jwt", no_tls=True)
)


@pytest.mark.parametrize("kind", ["mem-resolver", "nats-resolver", "nats-resolver-cache"])
def test_websocket_block_ends_each_flavour(env: Env, kind: str) -> None:
    plain = env.ok("generate", "config", f"--{kind}").stdout

    text = env.ok("generate", "config", f"--{kind}", *BROWSER_FLAGS).stdout

    assert text == plain.rstrip("\n") + "\n\n" + BROWSER_BLOCK


def test_websocket_block_in_the_resolver_conf_of_dir(env: Env, tmp_path: Path) -> None:
    out = tmp_path / "out"

    env.ok("generate", "config", "--dir", str(out), *BROWSER_FLAGS)

    assert (out / RESOLVER_CONF).read_text().endswith("\n\n" + BROWSER_BLOCK)


def test_json_names_the_websocket_url(env: Env) -> None:
    data = env.json("generate", "config", "--nats-resolver", *BROWSER_FLAGS)["data"]

    assert data["websocket"] == "ws://127.0.0.1:8080"
    assert data["config"].endswith(BROWSER_BLOCK)


def test_tls_files_are_written_as_absolute_paths(
    env: Env, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)

    text = env.ok("generate", "config", "--mem-resolver", "--websocket", "443",
                  "--websocket-cert", "ws.pem", "--websocket-key", "ws-key.pem").stdout  # fmt: skip

    assert text.endswith(
        "# Websocket clients (browsers with nats.ws) on wss://0.0.0.0:443\n"
        "websocket {\n    port: 443\n    tls {\n"
        f'        cert_file: "{tmp_path / "ws.pem"}"\n'
        f'        key_file: "{tmp_path / "ws-key.pem"}"\n'
        "    }\n}\n"
    )


def test_nkey_config_takes_a_websocket_block_without_cookie(env: Env) -> None:
    text = env.ok("generate", "config", "--nkey", "--websocket", "8080", "--no-tls").stdout

    assert text.startswith("accounts: {\n")
    assert text.endswith("}\n\n" + websocket_config(WebsocketConfig(port=8080, no_tls=True)))


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--jwt-cookie", "jwt"], "--jwt-cookie needs --websocket PORT"),
        (["--websocket-host", "h", "--no-tls"], "--websocket-host needs --websocket PORT"),
        (["--no-tls"], "--no-tls needs --websocket PORT"),
        (["--websocket-cert", "c.pem"], "--websocket-cert needs --websocket PORT"),
        (["--websocket", "8080"], "nats-server requires TLS on a websocket listener"),
        (["--websocket", "8080", "--websocket-cert", "c.pem"], "nats-server requires TLS"),
        (["--websocket", "8080", "--no-tls", "--websocket-key", "k.pem"], "takes no certificate"),
        (["--websocket", "8080", "--no-tls", "--jwt-cookie", "a b"], "not a valid cookie name"),
        (["--websocket", "8080", "--no-tls", "--websocket-host", "a b"], "is not a host name"),
        (["--websocket", "0", "--no-tls"], "0 is not in the range 1<=x<=65535"),
    ],
)
def test_bad_websocket_flags_are_usage_errors(
    env: Env, tmp_path: Path, flags: list[str], message: str
) -> None:
    target = tmp_path / "server.conf"

    error = env.fails(
        "generate", "config", "--mem-resolver", "--config-file", str(target), *flags, exit_code=2
    )

    assert message in error
    assert not target.exists()


def test_nkey_config_refuses_a_jwt_cookie(env: Env) -> None:
    error = env.fails("generate", "config", "--nkey", "--websocket", "8080", "--no-tls",
                      "--jwt-cookie", "jwt", exit_code=2)  # fmt: skip

    assert error == "a JWT cookie needs an operator configuration: nkey users have no JWT"


@pytest.mark.nats_server
def test_generated_config_lets_a_bearer_cookie_in_over_websocket(env: Env, tmp_path: Path) -> None:
    ws_port = free_port()
    config = tmp_path / "server.conf"
    env.ok("generate", "config", "--mem-resolver", "--config-file", str(config),
           "--websocket", str(ws_port), "--websocket-host", "127.0.0.1", "--jwt-cookie", "jwt",
           "--no-tls")  # fmt: skip
    user = keys.generate("user")
    uc = claims.UserClaims(sub=user.public_key, name="browser", exp=int(time.time()) + 600)
    uc.nats.bearer_token = True
    uc.nats.pub.allow = uc.nats.sub.allow = ["projects.42.>"]
    token = claims.encode(uc, env.accounts["A"])

    async def exchange() -> tuple[list[str], list[str]]:
        async with ws_nats(f"ws://127.0.0.1:{ws_port}", cookie=f"jwt={token}") as client:
            connected = await client.connect()
            echoed = await client.exchange("SUB projects.42.> 1\r\nPUB projects.42.a 2\r\nhi\r\n")
            return connected, echoed

    with config_servers(tmp_path / "servers") as start:
        start(config, name="ws")
        connected, echoed = asyncio.run(exchange())

    assert connected == []
    assert echoed == ["MSG projects.42.a 1 2: hi"]
