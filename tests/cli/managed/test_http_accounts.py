"""``pynsc.push.http.push_account`` / ``fetch_account`` against the local account server."""

from __future__ import annotations

import socket

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import PushError
from pynsc.keys import decorate_jwt
from pynsc.push import http
from tests.cli.managed.conftest import AccountServer


def _account(name: str = "A") -> tuple[keys.KeyPair, str]:
    key = keys.generate("account")
    return key, c.encode(c.AccountClaims(sub=key.public_key, name=name), key)


def test_account_url() -> None:
    assert http.account_url("http://h:1/jwt/v1/", "AK") == "http://h:1/jwt/v1/accounts/AK"


def test_push_then_fetch(account_server: AccountServer) -> None:
    key, token = _account()
    result = http.push_account(account_server.account_server_url, key.public_key, token)
    assert result.is_live
    assert not result.is_pending
    assert result.url == f"{account_server.url}/jwt/v1/accounts/{key.public_key}"
    assert account_server.posts == [(key.public_key, token)]
    fetched = http.fetch_account(account_server.account_server_url, key.public_key)
    assert fetched == account_server.accounts[key.public_key]
    assert c.decode(fetched, c.AccountClaims).iss == account_server.operator.public_key


def test_push_pending_keeps_the_server_message(account_server: AccountServer) -> None:
    account_server.post_status = 202
    account_server.post_message = " later \n"
    key, token = _account()
    result = http.push_account(account_server.account_server_url, key.public_key, token)
    assert result.is_pending
    assert not result.is_live
    assert (result.status_text, result.message) == ("202 Accepted", "later")


def test_push_refused(account_server: AccountServer) -> None:
    account_server.post_status = 403
    account_server.post_message = "not yours"
    key, token = _account()
    url = f"{account_server.url}/jwt/v1/accounts/{key.public_key}"
    with pytest.raises(PushError) as err:
        http.push_account(account_server.account_server_url, key.public_key, token)
    assert str(err.value) == f"error pushing account jwt to {url}: 403 Forbidden - not yours"


def test_push_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PushError, match=r"^error pushing account jwt to .*: connection refused$"):
        http.push_account(f"http://127.0.0.1:{port}/jwt/v1", "AK", "t")


@pytest.mark.parametrize("url", ["nats://h:4222", ""])
def test_push_needs_an_http_url(url: str) -> None:
    with pytest.raises(PushError, match="is not an HTTP account server url"):
        http.push_account(url, "AK", "t")


def test_fetch_unknown_account(account_server: AccountServer) -> None:
    with pytest.raises(PushError, match=r": 404 Not Found - not found$"):
        http.fetch_account(account_server.account_server_url, "AK")


def test_fetch_checks_the_account(account_server: AccountServer) -> None:
    key, token = _account()
    http.push_account(account_server.account_server_url, key.public_key, token)
    other, other_token = _account("B")
    account_server.get_override = other_token
    with pytest.raises(PushError, match=f"answered the jwt of account {other.public_key}$"):
        http.fetch_account(account_server.account_server_url, key.public_key)
    account_server.get_override = "garbage"
    with pytest.raises(PushError, match="not an account jwt"):
        http.fetch_account(account_server.account_server_url, key.public_key)


def test_fetch_accepts_a_decorated_jwt(account_server: AccountServer) -> None:
    key, token = _account()
    http.push_account(account_server.account_server_url, key.public_key, token)
    signed = account_server.accounts[key.public_key]
    account_server.get_override = decorate_jwt(signed, "account")
    assert http.fetch_account(account_server.account_server_url, key.public_key) == signed
