"""``pynsc push`` to an HTTP account server (nsc-spec §4.10): ``POST <url>/accounts/<pub>`` with
the raw JWT; 200 is OK, 202 a warning (accepted for later), anything else an error showing the
server's message; a server that cannot be reached is one error."""

from __future__ import annotations

import json

from pynsc import claims as c
from pynsc import keys
from pynsc.push import http
from tests.cli.account_server import serve_operator
from tests.cli.accountserver.conftest import AccountServer, Env, lines, refused_port_url


def test_push_one_account_with_url(env: Env, server: AccountServer) -> None:
    url = server.account_server_url
    result = env.ok("push", "-a", "A", "-u", url)
    key = env.accounts["A"].public_key
    assert server.requests == [("POST", f"/jwt/v1/accounts/{key}")]
    assert server.posts == [(key, env.account_token("A"))]
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f'[ OK ] push to account server "{url}":',
        "       [ OK ] push A to account server",
    ]


def test_push_all_to_the_operators_account_server(linked: Env, server: AccountServer) -> None:
    result = linked.ok("push", "-A")
    assert sorted(server.posts) == sorted(
        (linked.accounts[name].public_key, linked.account_token(name)) for name in ("A", "B")
    )
    assert lines(result.stderr) == [
        f'[ OK ] push to account server "{server.account_server_url}":',
        "[ OK ] push A to account server",
        "[ OK ] push B to account server",
    ]


def test_push_current_account(linked: Env, server: AccountServer) -> None:
    linked.select("B")
    linked.ok("push")
    assert [key for key, _ in server.posts] == [linked.accounts["B"].public_key]


def test_push_url_beats_the_operators(linked: Env, server: AccountServer) -> None:
    other = serve_operator(linked.operator, linked.store.operator_token())
    try:
        linked.ok("push", "-a", "A", "-u", other.account_server_url + "/")
    finally:
        other.stop()
    assert [key for key, _ in other.posts] == [linked.accounts["A"].public_key]
    assert server.posts == []


def test_push_accepted_for_later_warns(linked: Env, server: AccountServer) -> None:
    server.post_status = 202
    server.post_message = "accepted for later"
    result = linked.ok("push", "-a", "A")
    out = lines(result.stderr)
    assert out[0].startswith("[WARN] push to account server")
    assert "[WARN] pushed account jwt was accepted by the account server:" in out
    assert "> accepted for later" in out
    assert "[ERR" not in result.stderr


def test_push_refused_shows_the_servers_message(linked: Env, server: AccountServer) -> None:
    server.post_status = 400
    server.post_message = "account limits exceed the plan"
    result = linked.run("push", "-a", "A")
    assert result.exit_code == 1
    out = lines(result.stderr)
    assert out[0].startswith("[ERR ] push to account server")
    assert any(line.startswith("[ERR ] failed to push account jwt: 400") for line in out), out
    assert "> account limits exceed the plan" in out
    assert out[-1] == "Error: all jobs failed"
    assert server.posts == []


def test_push_all_with_one_refused(linked: Env, server: AccountServer) -> None:
    """The server refuses an account not issued by the operator (pushed with --force)."""
    stranger = keys.generate("operator")
    linked.add_account("C", signer=stranger)
    result = linked.run("push", "-A", "--force")
    assert result.exit_code == 1
    out = lines(result.stderr)
    assert "[ OK ] push A to account server" in out
    assert "[ OK ] push B to account server" in out
    assert "[ERR ] push C to account server:" in out
    assert f"> untrusted issuer {stranger.public_key}" in out
    assert sorted(key for key, _ in server.posts) == sorted(
        linked.accounts[n].public_key for n in ("A", "B")
    )


def test_push_refuses_an_account_not_signed_by_the_operator(
    linked: Env, server: AccountServer
) -> None:
    stranger = keys.generate("operator")
    linked.add_account("C", signer=stranger)
    message = linked.fails("push", "-a", "C")
    assert message == (
        f'unable to push account "C": it is issued by {stranger.public_key}, not by operator '
        '"O" or one of its signing keys'
    )
    assert server.requests == []


def test_push_json_has_every_accounts_answer(linked: Env, server: AccountServer) -> None:
    server.post_message = "stored"
    payload = linked.json("push", "-A")
    push = payload["data"]["push"]
    assert push["url"] == server.account_server_url
    assert push["mode"] == "http"
    by_name = {account["name"]: account for account in push["accounts"]}
    assert set(by_name) == {"A", "B"}
    for name, account in by_name.items():
        assert account["account"] == linked.accounts[name].public_key
        assert account["ok"] is True
        assert account["error"] == ""
        (reply,) = account["servers"]
        assert reply["code"] == 200
        assert reply["message"] == "stored"
        assert reply["pending"] is False


def test_push_json_accepted_for_later(linked: Env, server: AccountServer) -> None:
    server.post_status = 202
    payload = linked.json("push", "-a", "A")
    (account,) = payload["data"]["push"]["accounts"]
    (reply,) = account["servers"]
    assert (reply["code"], reply["pending"], reply["message"]) == (202, True, "")
    assert payload["messages"][0]["level"] == "warning"


def test_push_json_empty_body_invents_no_message(linked: Env, server: AccountServer) -> None:
    payload = linked.json("push", "-a", "A")
    text = json.dumps(payload["messages"])
    assert "server_messages" not in text
    (account,) = payload["data"]["push"]["accounts"]
    assert account["servers"][0]["message"] == ""


def test_push_json_refused(linked: Env, server: AccountServer) -> None:
    server.post_status = 400
    server.post_message = "no"
    result = linked.run("push", "-a", "A", "--json")
    assert result.exit_code == 1
    payload = json.loads(result.stdout)
    assert payload["ok"] is False
    (account,) = payload["data"]["push"]["accounts"]
    assert account["ok"] is False
    assert account["servers"][0]["code"] == 400
    assert account["servers"][0]["message"] == "no"


def test_push_to_an_unreachable_server_is_one_error(env: Env) -> None:
    url = refused_port_url()
    message = env.fails("push", "-A", "-u", url)
    assert message.startswith(f"error posting to {url}/accounts/A")
    assert message.endswith(": connection refused")


def test_push_to_a_stopped_server(linked: Env, server: AccountServer) -> None:
    server.stop()
    result = linked.run("push", "-a", "A")
    assert result.exit_code == 1
    assert [line for line in result.stderr.splitlines() if line.startswith("Error:")] == [
        f"Error: error posting to {server.account_server_url}/accounts/"
        f"{linked.accounts['A'].public_key}: connection refused"
    ]
    assert "[ERR" not in result.stderr
    assert result.stderr.splitlines()[-1].startswith("Hint: ")


def test_push_without_any_url(env: Env) -> None:
    assert env.fails("push", "-a", "A").startswith(
        "no account server url or nats-server url was provided by the operator jwt"
    )


def test_pushed_jwt_is_what_the_server_serves(linked: Env, server: AccountServer) -> None:
    linked.ok("push", "-a", "A")
    key = linked.accounts["A"].public_key
    served = http.fetch_account(server.account_server_url, key)
    assert served == linked.account_token("A")
    assert c.decode(served, c.AccountClaims).iss == linked.operator.public_key
