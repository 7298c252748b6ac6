"""Managed operators: every account a command writes goes to the account server first
(nsc-spec §2.6, §5.3 #36); the store keeps the JWT the server re-signed with the operator key."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc import claims as c
from pynsc import keys
from tests.cli.managed.conftest import (
    OPERATOR,
    AccountServer,
    Home,
    error_line,
    start_account_server,
)

PUSHED = "[ OK ] pushed account jwt to the account server"
PULLED = "[ OK ] pulled the account jwt signed by the operator"
AGAIN = "perform push/pull again or exchange self-signed JWT manually"


def assert_synced(home: Home, server: AccountServer, name: str) -> c.AccountClaims:
    """The server got account ``name`` self-signed, and the store holds the JWT it answered,
    signed by the operator."""
    token, claims = home.account(name)
    assert token == server.accounts[claims.sub]
    assert claims.iss == server.operator.public_key
    posted = server.last_posted(claims.sub)
    assert posted.iss == posted.sub == claims.sub
    assert posted.name == claims.name
    return claims


def test_add_operator_url_makes_a_managed_store(
    managed: Home, account_server: AccountServer
) -> None:
    store = managed.store()
    assert store.is_managed
    assert store.operator_token() == account_server.operator_jwt
    assert account_server.posts == []


def test_add_account_pushes_and_stores_the_operator_signed_jwt(
    managed: Home, account_server: AccountServer
) -> None:
    result = managed.ok("add", "account", "A")
    claims = assert_synced(managed, account_server, "A")
    assert len(account_server.posts) == 1
    assert PUSHED in result.stderr
    assert PULLED in result.stderr
    assert "[WARN]" not in result.stderr
    assert '[ OK ] added account "A"' in result.stderr
    assert managed.keystore.has(claims.sub)  # the account key stays here


def test_add_account_json_holds_the_stored_jwt(
    managed: Home, account_server: AccountServer
) -> None:
    payload = managed.json("add", "account", "A")
    token, _ = managed.account("A")
    assert payload["data"]["jwt"] == token
    texts = [m["text"] for m in payload["messages"]]
    assert "pushed account jwt to the account server" in texts
    assert "pulled the account jwt signed by the operator" in texts


def test_edit_account_pushes(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    result = managed.ok("edit", "account", "A", "--conns", "5")
    claims = assert_synced(managed, account_server, "A")
    assert claims.nats.limits.conn == 5
    assert account_server.last_posted(claims.sub).nats.limits.conn == 5
    assert len(account_server.posts) == 2
    assert PUSHED in result.stderr


def test_add_export_pushes(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    result = managed.ok("add", "export", "-s", "q.>", "-a", "A")
    claims = assert_synced(managed, account_server, "A")
    assert [e.subject for e in claims.nats.exports] == ["q.>"]
    assert [e.subject for e in account_server.last_posted(claims.sub).nats.exports] == ["q.>"]
    assert 'added public stream export "q.>"' in result.stderr
    assert PUSHED in result.stderr


def test_revoke_user_pushes(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    managed.ok("add", "user", "-a", "A", "u")
    user = managed.store().user("A", "u")
    result = managed.ok("revocations", "add-user", "-a", "A", "-n", "u")
    claims = assert_synced(managed, account_server, "A")
    assert user.sub in claims.nats.revocations
    assert user.sub in account_server.last_posted(claims.sub).nats.revocations
    assert f'revoked user "{user.sub}"' in result.stderr
    managed.ok("revocations", "delete-user", "-a", "A", "-n", "u")
    claims = assert_synced(managed, account_server, "A")
    assert claims.nats.revocations == {}


# delete account: 5.3 #36 --------------------------------------------------------------------------


def test_delete_managed_account_needs_force_and_pushes_an_expiring_jwt(
    managed: Home, account_server: AccountServer
) -> None:
    managed.ok("add", "account", "A")
    managed.ok("add", "user", "-a", "A", "U")
    _, account = managed.account("A")
    assert account.exp == 0
    posts = len(account_server.posts)

    before = managed.digest()
    message = error_line(managed.run("delete", "account", "A"))
    assert message.endswith("specify the --force to override")
    assert managed.digest() == before
    assert len(account_server.posts) == posts

    result = managed.ok("delete", "account", "A", "--force")
    expiring = account_server.last_posted(account.sub)
    assert expiring.exp != 0
    assert len(expiring.nats.revocations) == 1
    assert managed.store().account_names() == []
    assert PUSHED in result.stderr
    assert '[ OK ] expired account "A"' in result.stderr


# other commands ----------------------------------------------------------------------------------


def _setup_two(managed: Home) -> None:
    managed.ok("add", "account", "A")
    managed.ok("add", "account", "B")
    managed.ok("add", "export", "-a", "B", "-s", "b.>")
    managed.ok("add", "export", "-a", "A", "-s", "a.>", "--service")


COMMANDS: list[tuple[str, list[str]]] = [
    ("edit export", ["edit", "export", "-a", "A", "-s", "a.>", "--description", "d"]),
    ("delete export", ["delete", "export", "-a", "A", "-s", "a.>"]),
    ("add mapping", ["add", "mapping", "-a", "A", "-f", "x", "-t", "y"]),
    ("add import", ["add", "import", "-a", "A", "--src-account", "B",
                    "--remote-subject", "b.>"]),
    ("edit authcallout", ["edit", "authcallout", "-a", "A",
                          "--auth-user", keys.generate("user").public_key]),
    ("edit account --sk", ["edit", "account", "A", "--sk", "generate"]),
    ("revocations add-activation", ["revocations", "add-activation", "-a", "A", "--service",
                                    "-s", "a.>", "-t", "*"]),
]  # fmt: skip


@pytest.mark.parametrize(("label", "args"), COMMANDS, ids=[label for label, _ in COMMANDS])
def test_commands_push(
    managed: Home, account_server: AccountServer, label: str, args: list[str]
) -> None:
    _setup_two(managed)
    posts = len(account_server.posts)
    result = managed.ok(*args)
    assert len(account_server.posts) == posts + 1, label
    assert_synced(managed, account_server, "A")
    assert PUSHED in result.stderr
    assert PULLED in result.stderr


def test_mapping_import_and_signing_key_round_trips_push(
    managed: Home, account_server: AccountServer
) -> None:
    _setup_two(managed)
    steps = [
        ["add", "mapping", "-a", "A", "-f", "x", "-t", "y"],
        ["delete", "mapping", "-a", "A", "-f", "x"],
        ["add", "import", "-a", "A", "--src-account", "B", "--remote-subject", "b.>"],
        ["delete", "import", "-a", "A", "-s", "b.>"],
        ["edit", "account", "A", "--sk", "generate"],
    ]
    for args in steps:
        posts = len(account_server.posts)
        managed.ok(*args)
        assert len(account_server.posts) == posts + 1, args
    _, claims = managed.account("A")
    (signing_key,) = claims.nats.signing_keys
    posts = len(account_server.posts)
    managed.ok("edit", "signing-key", "-a", "A", "--sk", signing_key, "--role", "r")
    assert len(account_server.posts) == posts + 1
    claims = assert_synced(managed, account_server, "A")
    scope = claims.nats.signing_keys[signing_key]
    assert scope is not None
    assert scope.role == "r"


def test_delete_user_revoking_pushes(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    managed.ok("add", "user", "-a", "A", "u")
    user = managed.store().user("A", "u")
    managed.ok("delete", "user", "-a", "A", "-n", "u", "-R")
    claims = assert_synced(managed, account_server, "A")
    assert user.sub in claims.nats.revocations
    assert not managed.store().has_user("A", "u")


def test_rename_account_pushes_the_new_name(
    managed: Home, account_server: AccountServer
) -> None:
    managed.ok("add", "account", "A")
    managed.ok("rename", "account", "A", "B", "--OK")
    claims = assert_synced(managed, account_server, "B")
    assert claims.name == "B"
    assert managed.store().account_names() == ["B"]


def test_import_operator_signed_account_pushes(
    managed: Home, account_server: AccountServer, tmp_path: Path
) -> None:
    account = keys.generate("account")
    token = c.encode(c.AccountClaims(sub=account.public_key, name="X"), account_server.operator)
    path = tmp_path / "x.jwt"
    path.write_text(token)
    managed.ok("import", "account", "-j", str(path))
    # posted as it is (signed by the operator already), stored as the server answers it
    assert account_server.posts == [(account.public_key, token)]
    stored, claims = managed.account("X")
    assert stored == account_server.accounts[account.public_key]
    assert claims.iss == account_server.operator.public_key


def test_init_url_then_edit_pushes(home: Home, account_server: AccountServer) -> None:
    home.ok("init", "-n", "A", "-u", account_server.operator_url)
    assert_synced(home, account_server, "A")
    home.ok("edit", "account", "A", "--subscriptions", "7")
    claims = assert_synced(home, account_server, "A")
    assert claims.nats.limits.subs == 7
    assert len(account_server.posts) == 2


# when the server cannot give the JWT back ---------------------------------------------------------


def test_failed_pull_stores_the_self_signed_jwt(
    managed: Home, account_server: AccountServer
) -> None:
    managed.ok("add", "account", "A")
    account_server.get_status = 500
    result = managed.ok("edit", "account", "A", "--conns", "5")
    _, claims = managed.account("A")
    assert claims.iss == claims.sub  # self-signed
    assert claims.nats.limits.conn == 5
    assert PUSHED in result.stderr
    (warning,) = [line for line in result.stderr.splitlines() if line.startswith("[WARN]")]
    assert warning.startswith(
        f"[WARN] unable to pull the account jwt back (error pulling account jwt from "
        f"{account_server.url}/jwt/v1/accounts/{claims.sub}: 500 Internal Server Error"
    )
    assert warning.endswith(f") - {AGAIN}")


def test_pending_push_stores_the_self_signed_jwt(
    managed: Home, account_server: AccountServer
) -> None:
    account_server.post_status = 202
    account_server.post_message = "queued for review"
    result = managed.ok("add", "account", "A")
    _, claims = managed.account("A")
    assert claims.iss == claims.sub
    assert "[WARN] the account server accepted the account jwt (202 Accepted)" in result.stderr
    assert AGAIN in result.stderr
    assert "> queued for review" in result.stderr


def test_pulled_jwt_of_another_issuer_is_not_stored(
    managed: Home, account_server: AccountServer
) -> None:
    managed.ok("add", "account", "A")
    _, claims = managed.account("A")
    stranger = keys.generate("operator")
    account_server.get_override = c.encode(claims, stranger)
    result = managed.ok("edit", "account", "A", "--conns", "3")
    _, claims = managed.account("A")
    assert claims.iss == claims.sub
    assert f"issued by {stranger.public_key}, not by operator \"{OPERATOR}\"" in result.stderr


# no http account server ---------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["nats://127.0.0.1:4222", ""])
def test_no_http_account_server_stores_self_signed_with_a_warning(
    home: Home, tmp_path: Path, url: str
) -> None:
    server = start_account_server(account_server_url=url)
    try:
        path = tmp_path / "op.jwt"
        path.write_text(server.operator_jwt)
        home.ok("add", "operator", "-u", str(path))
        result = home.ok("add", "account", "A")
        _, claims = home.account("A")
        assert claims.iss == claims.sub
        assert (
            f'[WARN] unable to push to "{OPERATOR}" - operator doesn\'t set an account server '
            "url or manual exchange necessary"
        ) in result.stderr
        result = home.ok("edit", "account", "A", "--conns", "2")
        assert "[WARN] unable to push to" in result.stderr
        assert server.posts == []
    finally:
        server.stop()


# the server refuses or is down: nothing changes ------------------------------------------------


def test_server_down_changes_nothing(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    managed.ok("add", "user", "-a", "A", "u")
    account_server.stop()
    failing = [
        ["add", "account", "B"],
        ["edit", "account", "A", "--conns", "5"],
        ["edit", "account", "A", "--sk", "generate"],
        ["add", "export", "-a", "A", "-s", "q"],
        ["revocations", "add-user", "-a", "A", "-n", "u"],
        ["delete", "user", "-a", "A", "-n", "u", "-R"],
        ["rename", "account", "A", "C", "--OK"],
        ["delete", "account", "A", "--force"],
    ]
    for args in failing:
        before = managed.digest()
        message = error_line(managed.run(*args))
        assert message.startswith(
            f"error pushing account jwt to {account_server.url}/jwt/v1/accounts/"
        ), args
        assert message.endswith("connection refused"), message
        assert managed.digest() == before, args


def test_refused_push_changes_nothing(managed: Home, account_server: AccountServer) -> None:
    managed.ok("add", "account", "A")
    account_server.post_status = 400
    account_server.post_message = "limits too high"
    before = managed.digest()
    message = error_line(managed.run("edit", "account", "A", "--conns", "5"))
    assert message.endswith(": 400 Bad Request - limits too high")
    assert managed.digest() == before
