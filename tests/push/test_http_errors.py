"""An account server that cannot be reached is one line saying which URL and what went wrong in
words, never the pool and retry wrappers of requests/urllib3 (issue 10 item 11)."""

from __future__ import annotations

import socket

import pytest

from pynsc.errors import PushError
from pynsc.push import http


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


NO_HOST = "http://no-such-host.invalid/jwt/v1/operator"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (NO_HOST, "cannot resolve host 'no-such-host.invalid'"),
        ("http://127.0.0.1:{port}/jwt/v1/operator", "connection refused"),
    ],
)
def test_unreachable_servers_are_described_in_words(
    url: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_dns(*args: object, **kwargs: object) -> object:
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    url = url.format(port=_closed_port())
    if url == NO_HOST:  # no waiting on a resolver: the lookup fails as an offline one does
        monkeypatch.setattr(socket, "getaddrinfo", no_dns)
    with pytest.raises(PushError) as caught:
        http.post_jwt(url, "token", timeout=5)
    message = caught.value.message
    assert message.endswith(expected), message
    assert url in message
    for internal in ("HTTPConnectionPool", "Max retries", "NameResolutionError", "urllib3"):
        assert internal not in message
    assert "\n" not in message
