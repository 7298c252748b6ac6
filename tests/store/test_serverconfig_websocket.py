"""The ``websocket {}`` block of a server configuration (:mod:`pynsc.store.serverconfig`): its
text, what nats-server would refuse, and where each configuration flavour puts it."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims, keys
from pynsc.errors import UsageError
from pynsc.store.serverconfig import (
    RESOLVER_CONF,
    AccountEntry,
    ConfigKind,
    ServerInventory,
    WebsocketConfig,
    memory_resolver_dir,
    server_config,
    websocket_config,
)

BROWSERS = WebsocketConfig(port=8080, host="127.0.0.1", jwt_cookie="jwt", no_tls=True)


def inventory() -> ServerInventory:
    operator = keys.generate("operator")
    system = keys.generate("account")
    oc = claims.OperatorClaims(sub=operator.public_key, name="O")
    oc.nats.system_account = system.public_key
    sc = claims.AccountClaims(sub=system.public_key, name="SYS")
    entry = AccountEntry("SYS", system.public_key, claims.encode(sc, operator), "SYS")
    return ServerInventory("O", claims.encode(oc, operator), (entry,), system.public_key)


def test_block_for_browsers_with_a_jwt_cookie() -> None:
    assert websocket_config(BROWSERS) == (
        "# Websocket clients (browsers with nats.ws) on ws://127.0.0.1:8080\n"
        "websocket {\n"
        "    port: 8080\n"
        '    host: "127.0.0.1"\n'
        "    # No TLS: for tests on loopback, or behind a proxy that terminates TLS (a page\n"
        "    # served over https:// may only open wss:// websockets).\n"
        "    no_tls: true\n"
        "    # A client whose CONNECT has no JWT is authenticated with the one in this cookie\n"
        "    # of the websocket upgrade request: a short-lived bearer user JWT, set HttpOnly\n"
        "    # by the web backend (pynsc.jwt_cookie).\n"
        '    jwt_cookie: "jwt"\n'
        "}\n"
    )


def test_block_with_tls_and_nats_server_default_host() -> None:
    websocket = WebsocketConfig(
        port=443, cert_file=Path("/etc/nats/ws.pem"), key_file=Path("/etc/nats/ws-key.pem")
    )

    assert websocket.url == "wss://0.0.0.0:443"
    assert websocket_config(websocket) == (
        "# Websocket clients (browsers with nats.ws) on wss://0.0.0.0:443\n"
        "websocket {\n"
        "    port: 443\n"
        "    tls {\n"
        '        cert_file: "/etc/nats/ws.pem"\n'
        '        key_file: "/etc/nats/ws-key.pem"\n'
        "    }\n"
        "}\n"
    )


def test_ipv6_host_is_bracketed_in_the_url_only() -> None:
    websocket = WebsocketConfig(port=8080, host="::1", no_tls=True)

    assert websocket.url == "ws://[::1]:8080"
    assert '    host: "::1"\n' in websocket_config(websocket)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"port": 0, "no_tls": True}, "out of range"),
        ({"port": 65536, "no_tls": True}, "out of range"),
        ({"port": 80, "host": "", "no_tls": True}, "is not a host name"),
        ({"port": 80, "host": "a b", "no_tls": True}, "is not a host name"),
        ({"port": 80, "host": 'x"', "no_tls": True}, "is not a host name"),
        ({"port": 80, "jwt_cookie": "a;b", "no_tls": True}, "not a valid cookie name"),
        ({"port": 80}, "nats-server requires TLS on a websocket listener"),
        ({"port": 80, "cert_file": Path("c.pem")}, "nats-server requires TLS"),
        ({"port": 80, "no_tls": True, "key_file": Path("k.pem")}, "takes no certificate"),
    ],
)
def test_what_nats_server_would_refuse_is_refused(
    options: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        WebsocketConfig(**options)  # type: ignore[arg-type]


def test_tls_refusal_names_the_flags() -> None:
    with pytest.raises(UsageError) as raised:
        WebsocketConfig(port=80)
    assert raised.value.hint is not None
    assert "--no-tls" in raised.value.hint
    assert "--websocket-cert" in raised.value.hint


@pytest.mark.parametrize("kind", [ConfigKind.MEMORY, ConfigKind.FULL, ConfigKind.CACHE])
def test_every_resolver_flavour_ends_with_the_block(kind: ConfigKind) -> None:
    world = inventory()
    plain = server_config(world, kind)

    text = server_config(world, kind, websocket=BROWSERS)

    assert text == plain.rstrip("\n") + "\n\n" + websocket_config(BROWSERS)
    assert text.count("websocket {") == 1


def test_memory_resolver_dir_puts_the_block_in_resolver_conf(tmp_path: Path) -> None:
    world = inventory()

    files = memory_resolver_dir(world, tmp_path, websocket=BROWSERS)

    assert files[RESOLVER_CONF].endswith(websocket_config(BROWSERS))
    others = [text for name, text in files.items() if name != RESOLVER_CONF]
    assert all("websocket" not in text for text in others)


def test_without_websocket_nothing_changes() -> None:
    world = inventory()

    assert "websocket" not in server_config(world, ConfigKind.FULL)
    assert server_config(world, ConfigKind.FULL, websocket=None) == server_config(
        world, ConfigKind.FULL
    )
