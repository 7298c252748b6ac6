"""A managed operator (imported with ``pynsc add operator -u <url>/jwt/v1/operator``) pushing
to and pulling from its account server, which signs the self-signed accounts it is sent."""

from __future__ import annotations

import pytest

from pynsc import claims as c
from tests.cli.accountserver.conftest import AccountServer, Home, lines, resign


@pytest.fixture
def managed(home: Home, managed_server: AccountServer) -> Home:
    """``home`` with operator ``T`` imported from ``managed_server`` and its account ``A``."""
    home.ok("add", "operator", "-u", managed_server.operator_url)
    home.ok("add", "account", "A")
    managed_server.requests.clear()
    return home


def test_push_all(managed: Home, managed_server: AccountServer) -> None:
    store = managed.store("T")
    token = store.account_token("A")
    key = store.account("A").sub
    result = managed.ok("push", "-A")
    assert managed_server.requests == [("POST", f"/jwt/v1/accounts/{key}")]
    assert managed_server.posts[-1] == (key, token)
    assert lines(result.stderr) == [
        f'[ OK ] push to account server "{managed_server.account_server_url}":',
        "[ OK ] push A to account server",
    ]


def test_pull_all_is_unchanged_after_add(managed: Home, managed_server: AccountServer) -> None:
    result = managed.ok("pull", "-A")
    assert lines(result.stderr)[1:] == ['[ OK ] operator "T" is unchanged',
                                        '[ OK ] account "A" is unchanged']  # fmt: skip


def test_pull_what_the_server_changed(managed: Home, managed_server: AccountServer) -> None:
    store = managed.store("T")
    local = store.account("A")
    changed = resign(
        store.account_token("A"), managed_server.operator, iat=local.iat + 10,
        change=lambda claims: setattr(claims.nats.limits, "conn", 9),
    )  # fmt: skip
    managed_server.accounts[local.sub] = changed
    managed.ok("pull", "-a", "A")
    assert store.account_token("A") == changed
    assert store.account("A").nats.limits.conn == 9


def test_account_accepted_for_later_is_pulled_once_signed(
    home: Home, managed_server: AccountServer
) -> None:
    home.ok("add", "operator", "-u", managed_server.operator_url)
    managed_server.post_status = 202
    result = home.run("add", "account", "B")
    assert result.exit_code == 0, result.stderr
    store = home.store("T")
    pending = store.account("B")
    assert pending.iss == pending.sub  # self-signed, stored with a warning
    assert "[WARN]" in result.stderr

    # the server signs it later
    managed_server.post_status = 200
    signed = c.encode(c.decode(store.account_token("B"), c.AccountClaims),
                      managed_server.operator, iat=pending.iat + 5)  # fmt: skip
    managed_server.accounts[pending.sub] = signed
    result = home.ok("pull", "-a", "B")
    assert store.account_token("B") == signed
    assert '[ OK ] stored account "B"' in lines(result.stderr)


def test_push_refused_by_the_managed_server(managed: Home, managed_server: AccountServer) -> None:
    managed_server.post_status = 400
    managed_server.post_message = "over quota"
    result = managed.run("push", "-a", "A")
    assert result.exit_code == 1
    assert "> over quota" in lines(result.stderr)
