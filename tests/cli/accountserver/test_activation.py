"""``pynsc generate activation --push``: the activation lands on the operator's account server
(``POST <url>/activations``) and is served at ``<url>/activations/<hash id>``."""

from __future__ import annotations

import urllib.request

from pynsc import claims as c
from tests.cli.accountserver.conftest import AccountServer, Env


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        body: bytes = response.read()
    return body.decode()


def test_pushed_activation_is_served_by_its_hash(linked: Env, server: AccountServer) -> None:
    linked.add_export("A", "svc.orders", service=True, private=True)
    target = linked.accounts["B"].public_key
    result = linked.ok("generate", "activation", "-a", "A", "-s", "svc.orders", "-t", "B",
                       "--push")  # fmt: skip
    token = next(line for line in result.stdout.splitlines() if line.startswith("eyJ"))
    claims = c.decode(token, c.ActivationClaims)
    assert claims.sub == target
    hash_id = claims.hash_id()
    assert ("POST", "/jwt/v1/activations") in server.requests
    assert server.activations == {hash_id: token}
    url = f"{server.account_server_url}/activations/{hash_id}"
    assert f'[ OK ] activation accessible at "{url}"' in result.stderr.splitlines()
    assert _get(url) == token


def test_activation_refused_by_the_server(linked: Env, server: AccountServer) -> None:
    linked.add_export("A", "svc.orders", service=True, private=True)
    server.post_status = 400
    server.post_message = "activations are disabled"
    message = linked.fails("generate", "activation", "-a", "A", "-s", "svc.orders", "-t", "B",
                           "--push")  # fmt: skip
    assert message == (
        "the account server refused the activation (400 Bad Request): activations are disabled"
    )
    assert server.activations == {}
