"""``pynsc pull`` from an HTTP account server (nsc-spec §4.10): ``GET <url>/accounts/<pub>`` per
account, and with ``-A`` the operator (``GET <url>/operator``) too. A pulled JWT replaces the local
one only when it is not older (``--overwrite-newer`` forces it); a JWT not issued by the operator
is refused; a server that cannot be reached is one error."""

from __future__ import annotations

import json

from pynsc import claims as c
from pynsc import keys
from tests.cli.accountserver.conftest import AccountServer, Env, lines, resign

NEWER = '"A" is newer than remote version - specify --overwrite-newer to overwrite'


def serve_accounts(env: Env, server: AccountServer, *names: str) -> None:
    """The server holds the store's own JWTs of ``names``."""
    for name in names:
        server.accounts[env.accounts[name].public_key] = env.account_token(name)


def serve_edited(env: Env, server: AccountServer, name: str, *, delta: int, conns: int) -> str:
    """The server holds account ``name`` with max connections ``conns``, issued ``delta``
    seconds after (or before) the local JWT; that JWT."""
    local = env.account(name)
    token = resign(
        env.account_token(name), env.operator, iat=local.iat + delta,
        change=lambda claims: setattr(claims.nats.limits, "conn", conns),
    )  # fmt: skip
    server.accounts[local.sub] = token
    return token


def test_pull_one_unchanged(linked: Env, server: AccountServer) -> None:
    serve_accounts(linked, server, "A")
    result = linked.ok("pull", "-a", "A")
    key = linked.accounts["A"].public_key
    assert server.requests == [("GET", f"/jwt/v1/accounts/{key}")]
    assert lines(result.stderr) == [
        f'[ OK ] pull from account server "{server.account_server_url}":',
        '[ OK ] account "A" is unchanged',
    ]


def test_pull_stores_a_newer_remote_jwt(linked: Env, server: AccountServer) -> None:
    token = serve_edited(linked, server, "A", delta=10, conns=7)
    result = linked.ok("pull", "-a", "A")
    assert linked.account_token("A") == token
    assert linked.account("A").nats.limits.conn == 7
    assert '[ OK ] stored account "A"' in lines(result.stderr)


def test_pull_keeps_a_newer_local_jwt(linked: Env, server: AccountServer) -> None:
    token = serve_edited(linked, server, "A", delta=-10, conns=7)
    before = linked.account_token("A")
    result = linked.run("pull", "-a", "A")
    assert result.exit_code == 1
    assert f"[ERR ] local jwt for {NEWER}" in lines(result.stderr)
    assert linked.account_token("A") == before
    assert linked.fails("pull", "-a", "A") == "all jobs failed"

    result = linked.ok("pull", "-a", "A", "--overwrite-newer")
    assert linked.account_token("A") == token
    assert '[ OK ] stored account "A"' in lines(result.stderr)


def test_pull_all_pulls_the_operator_too(linked: Env, server: AccountServer) -> None:
    serve_accounts(linked, server, "A")
    edited = serve_edited(linked, server, "B", delta=5, conns=3)
    operator = linked.store.operator()
    operator.nats.operator_service_urls = ["nats://127.0.0.1:4222"]
    server.operator_jwt = c.encode(operator, linked.operator, iat=operator.iat + 5)
    result = linked.ok("pull", "-A")
    assert ("GET", "/jwt/v1/operator") in server.requests
    assert linked.store.operator_token() == server.operator_jwt
    assert linked.account_token("B") == edited
    assert lines(result.stderr) == [
        f'[ OK ] pull from account server "{server.account_server_url}":',
        '[ OK ] stored operator "O"',
        '[ OK ] account "A" is unchanged',
        '[ OK ] stored account "B"',
    ]


def test_pull_all_keeps_a_newer_local_operator(linked: Env, server: AccountServer) -> None:
    serve_accounts(linked, server, "A", "B")
    operator = linked.store.operator()
    server.operator_jwt = c.encode(operator, linked.operator, iat=operator.iat - 5)
    message = linked.fails("pull", "-A")
    assert message == "all jobs failed"
    result = linked.run("pull", "-A")
    assert '[ERR ] local jwt for "O" is newer than remote version - specify --overwrite-newer ' \
        "to overwrite" in lines(result.stderr)  # fmt: skip
    linked.ok("pull", "-A", "--overwrite-newer")
    assert linked.store.operator_token() == server.operator_jwt


def test_pull_refuses_an_account_not_signed_by_the_operator(
    linked: Env, server: AccountServer
) -> None:
    stranger = keys.generate("operator")
    local = linked.account("A")
    server.accounts[local.sub] = resign(linked.account_token("A"), stranger, iat=local.iat + 10)
    assert linked.fails("pull", "-a", "A") == "all jobs failed"
    result = linked.run("pull", "-a", "A", "--overwrite-newer")
    assert f'[ERR ] account "A" is issued by {stranger.public_key}, not by operator "O"' in lines(
        result.stderr
    )
    assert linked.fails("pull", "-a", "A", "--overwrite-newer") == "all jobs failed"


def test_pull_refuses_an_operator_jwt_signed_by_another_key(
    linked: Env, server: AccountServer
) -> None:
    serve_accounts(linked, server, "A", "B")
    stranger = keys.generate("operator")
    operator = linked.store.operator()
    operator.nats.signing_keys.append(stranger.public_key)
    server.operator_jwt = c.encode(operator, stranger, iat=operator.iat + 5)
    assert linked.fails("pull", "-A") == "all jobs failed"
    result = linked.run("pull", "-A")
    assert (
        f"[ERR ] the operator jwt the account server serves is issued by {stranger.public_key}, "
        'not by operator "O"' in lines(result.stderr)
    )


def test_pull_refuses_another_operator(linked: Env, server: AccountServer) -> None:
    serve_accounts(linked, server, "A", "B")
    other = keys.generate("operator")
    server.operator_jwt = c.encode(c.OperatorClaims(sub=other.public_key, name="O"), other)
    assert linked.fails("pull", "-A") == "all jobs failed"
    result = linked.run("pull", "-A")
    assert (
        f'[ERR ] the account server serves operator {other.public_key}, not "O" '
        f"({linked.operator.public_key})" in lines(result.stderr)
    )


def test_pull_an_account_the_server_does_not_have(linked: Env, server: AccountServer) -> None:
    key = linked.accounts["A"].public_key
    assert linked.fails("pull", "-a", "A") == "all jobs failed"
    result = linked.run("pull", "-a", "A")
    assert (
        f"[ERR ] error pulling account jwt from {server.account_server_url}/accounts/{key}: "
        "404 Not Found - not found" in lines(result.stderr)
    )


def test_pull_from_a_stopped_server_is_one_error(linked: Env, server: AccountServer) -> None:
    server.stop()
    key = linked.accounts["A"].public_key
    message = linked.fails("pull", "-a", "A")
    assert message == (
        f"error pulling account jwt from {server.account_server_url}/accounts/{key}: "
        "connection refused"
    )
    message = linked.fails("pull", "-A")
    assert message == (
        f"error pulling operator jwt from {server.account_server_url}/operator: connection refused"
    )


def test_pull_json(linked: Env, server: AccountServer) -> None:
    serve_accounts(linked, server, "A")
    serve_edited(linked, server, "B", delta=5, conns=3)
    payload = linked.json("pull", "-A")
    data = payload["data"]
    assert (data["url"], data["mode"], data["operator"]) == (
        server.account_server_url,
        "http",
        "unchanged",
    )
    assert data["accounts"] == [
        {"name": "A", "account": linked.accounts["A"].public_key, "status": "unchanged",
         "message": ""},
        {"name": "B", "account": linked.accounts["B"].public_key, "status": "stored",
         "message": ""},
    ]  # fmt: skip


def test_pull_json_newer_local(linked: Env, server: AccountServer) -> None:
    serve_edited(linked, server, "A", delta=-5, conns=3)
    result = linked.run("pull", "-a", "A", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    (account,) = payload["data"]["accounts"]
    assert account["status"] == "newer-local"
    assert account["message"] == f"local jwt for {NEWER}"
