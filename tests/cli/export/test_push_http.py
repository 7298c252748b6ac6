"""``pynsc.push.http``: URLs, posting to a local account server, and the errors it raises."""

from __future__ import annotations

import socket
import subprocess
import sys

import pytest

from pynsc.errors import PushError
from pynsc.push import http
from tests.cli.export.conftest import AccountServer
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://h:9090/jwt/v1", "http://h:9090/jwt/v1/activations"),
        ("http://h:9090/jwt/v1/", "http://h:9090/jwt/v1/activations"),
        ("https://h", "https://h/activations"),
        ("http://h/", "http://h/activations"),
        ("http://h/a//b/../c?x=1", "http://h/a/c/activations?x=1"),
    ],
)
def test_activations_url(base: str, expected: str) -> None:
    assert http.activations_url(base) == expected


def test_activation_url() -> None:
    assert http.activation_url("http://h:1/jwt/v1", "ABC=") == "http://h:1/jwt/v1/activations/ABC="


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("http://h:1", True),
        ("HTTPS://h/x", True),
        ("nats://h:4222", False),
        ("http://", False),
        ("h:9090", False),
        ("", False),
    ],
)
def test_is_http_url(url: str, ok: bool) -> None:
    assert http.is_http_url(url) is ok


def test_post_activation(account_server: AccountServer) -> None:
    account_server.reply = " stored \n"
    reply = http.post_activation(account_server.url, "a.b.c")
    assert reply.is_live
    assert not reply.is_pending
    assert reply.body == "stored"
    assert reply.url == account_server.url + "/activations"
    (posted,) = account_server.posted
    assert (posted.path, posted.content_type, posted.body) == (
        "/jwt/v1/activations",
        "application/jwt",
        "a.b.c",
    )


@pytest.mark.parametrize("status", [201, 202])
def test_post_activation_pending(account_server: AccountServer, status: int) -> None:
    account_server.status = status
    reply = http.post_activation(account_server.url, "t")
    assert reply.is_pending
    assert reply.is_success


def test_post_activation_refused(account_server: AccountServer) -> None:
    account_server.status = 500
    with pytest.raises(PushError, match=r"refused the activation \(500 Internal Server Error\)$"):
        http.post_activation(account_server.url, "t")


def test_post_jwt_returns_any_status(account_server: AccountServer) -> None:
    account_server.status = 404
    account_server.reply = "no such thing"
    reply = http.post_jwt(account_server.url + "/accounts/A", "t")
    assert (reply.status, reply.reason, reply.body) == (404, "Not Found", "no such thing")
    assert not reply.is_success


def test_connection_refused() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(PushError, match=r"connection refused$"):
        http.post_activation(f"http://127.0.0.1:{port}", "t")


def test_timeout() -> None:
    with socket.socket() as sock:  # listens, never answers
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        with pytest.raises(PushError, match=r"no answer from .* within 0.2s"):
            http.post_activation(f"http://127.0.0.1:{port}", "t", timeout=0.2)


@pytest.mark.parametrize("url", ["nats://h:4222", "not a url"])
def test_not_http(url: str) -> None:
    with pytest.raises(PushError, match="is not an HTTP account server url"):
        http.post_activation(url, "t")


def test_import_is_light() -> None:
    code = (
        "import sys, pynsc.push.http\n"
        "heavy = [m for m in ('requests', 'click', 'rich') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
