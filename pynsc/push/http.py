"""HTTP account servers (nsc's ``account_server_url`` in http/https form): small functions.

An account server takes JWTs by ``POST`` with the raw token as the body: accounts at
``<url>/accounts/<pub>``, activations at ``<url>/activations`` (readable afterwards at
``<url>/activations/<hash id>``). It answers 200 when the JWT is live, 201/202 when it accepted it
for later, anything else when it refused it; the body is a message for the user. ``GET`` on the
same account URL serves the account JWT as the server holds it: a managed operator's server
re-signs the self-signed JWTs it is sent with the operator key (:func:`push_account`, then
:func:`fetch_account`).

``requests`` is imported inside the functions that use it, so importing this module is cheap.
"""

from __future__ import annotations

import posixpath
import urllib.parse
from dataclasses import dataclass

from pynsc.errors import PushError

__all__ = [
    "DEFAULT_TIMEOUT",
    "HTTP_SCHEMES",
    "HttpReply",
    "UnreachableError",
    "account_url",
    "activation_url",
    "activations_url",
    "fetch_account",
    "fetch_operator",
    "is_http_url",
    "join_url",
    "post_activation",
    "post_jwt",
    "push_account",
]

DEFAULT_TIMEOUT = 5.0
"""Seconds to wait for the server to connect and to answer."""

HTTP_SCHEMES = ("http", "https")
JWT_CONTENT_TYPE = "application/jwt"
_UNREACHABLE_HINT = (
    "check that the account server is up and the url is right (the operator's is set with "
    "'pynsc edit operator --account-jwt-server-url URL')"
)


class UnreachableError(PushError):
    """The account server could not be reached, or did not answer in time."""


@dataclass(frozen=True, slots=True)
class HttpReply:
    """What the server answered: its status code, reason and body (a message for the user)."""

    url: str
    status: int
    reason: str = ""
    body: str = ""

    @property
    def is_live(self) -> bool:
        """200: the server stored the JWT and serves it."""
        return self.status == 200

    @property
    def is_pending(self) -> bool:
        """201/202 (any other 2xx): accepted, not served yet."""
        return 200 < self.status < 300

    @property
    def is_success(self) -> bool:
        return 200 <= self.status < 300

    @property
    def status_text(self) -> str:
        """``202 Accepted``."""
        return f"{self.status} {self.reason}".strip()

    @property
    def message(self) -> str:
        """The server's text for the user (may be empty)."""
        return self.body


def is_http_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL with a host (an HTTP account server)."""
    try:
        parts = urllib.parse.urlsplit(url.strip())
    except ValueError:  # "http://[": an unterminated IPv6 host
        return False
    return parts.scheme.lower() in HTTP_SCHEMES and bool(parts.netloc)


def join_url(base: str, *segments: str) -> str:
    """``base`` with ``segments`` appended to its path, cleaned as Go's ``path.Join`` does.

    ``join_url("http://h:9090/jwt/v1/", "activations")`` is
    ``http://h:9090/jwt/v1/activations``; query and fragment are kept.
    """
    parts = urllib.parse.urlsplit(base.strip())
    path = posixpath.normpath("/" + "/".join([parts.path, *segments]))
    if path.startswith("//"):
        path = "/" + path.lstrip("/")
    return urllib.parse.urlunsplit(parts._replace(path=path))


def activations_url(server_url: str) -> str:
    """Where activations are posted: ``<server_url>/activations``."""
    return join_url(server_url, "activations")


def activation_url(server_url: str, hash_id: str) -> str:
    """Where the server serves an activation: ``<server_url>/activations/<hash_id>``."""
    return join_url(server_url, "activations", hash_id)


def account_url(server_url: str, account_key: str) -> str:
    """Where an account JWT is posted and served: ``<server_url>/accounts/<account_key>``."""
    return join_url(server_url, "accounts", account_key)


def _check_url(url: str) -> None:
    if not is_http_url(url):
        raise PushError(
            f"{url!r} is not an HTTP account server url",
            hint="the url must start with http:// or https:// and name a host",
        )


def post_jwt(url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> HttpReply:
    """``POST`` the raw ``token`` to ``url`` (``Content-Type: application/jwt``).

    Returns the reply whatever its status; raises :class:`PushError` when the server cannot be
    reached or does not answer within ``timeout`` seconds.
    """
    return _send("POST", url, token, timeout=timeout, failing="error posting to")


def _send(
    method: str, url: str, token: str | None, *, timeout: float, failing: str
) -> HttpReply:
    """One request; an unreachable or silent server is a :class:`PushError` whose message
    starts with ``failing`` and the URL."""
    _check_url(url)
    import requests

    try:
        response = requests.request(
            method,
            url,
            data=None if token is None else token.encode("utf-8"),
            headers={"Content-Type": JWT_CONTENT_TYPE} if token is not None else None,
            timeout=timeout,
            allow_redirects=False,
        )
    except requests.Timeout as err:
        raise UnreachableError(
            f"no answer from {url} within {timeout:g}s", hint=_UNREACHABLE_HINT
        ) from err
    except requests.RequestException as err:
        raise UnreachableError(
            f"{failing} {url}: {_reason(err)}", hint=_UNREACHABLE_HINT
        ) from err
    return HttpReply(
        url=url,
        status=response.status_code,
        reason=response.reason or "",
        body=response.text.strip(),
    )


def post_activation(server_url: str, token: str, *, timeout: float = DEFAULT_TIMEOUT) -> HttpReply:
    """Post an activation JWT to the account server at ``server_url`` (``/activations``).

    Returns the reply when the server took it (2xx: :attr:`HttpReply.is_live` or
    :attr:`HttpReply.is_pending`); raises :class:`PushError` when it refused it or could not be
    reached.
    """
    _check_url(server_url)
    reply = post_jwt(activations_url(server_url), token, timeout=timeout)
    if not reply.is_success:
        status = f"{reply.status} {reply.reason}".strip()
        detail = f": {reply.body}" if reply.body else ""
        raise PushError(
            f"the account server refused the activation ({status}){detail}",
            hint=f"posted to {reply.url}",
        )
    return reply


# Managed operators: accounts ----------------------------------------------------------------------


def _refused(action: str, reply: HttpReply) -> PushError:
    detail = f" - {reply.body}" if reply.body else ""
    return PushError(f"{action} {reply.url}: {reply.status_text}{detail}")


def push_account(
    server_url: str, account_key: str, token: str, *, timeout: float = DEFAULT_TIMEOUT
) -> HttpReply:
    """``POST`` the account JWT ``token`` to ``<server_url>/accounts/<account_key>``.

    Returns what the server said when it took the JWT (any 2xx); raises :class:`PushError` when
    the URL is not http(s), the server cannot be reached or does not answer in ``timeout``
    seconds, or it refused the JWT (``error pushing account jwt to <url>: 400 Bad Request -
    <its message>``).
    """
    _check_url(server_url)
    url = account_url(server_url, account_key)
    reply = _send("POST", url, token, timeout=timeout, failing="error pushing account jwt to")
    if not reply.is_success:
        raise _refused("error pushing account jwt to", reply)
    return reply


def fetch_account(
    server_url: str, account_key: str, *, timeout: float = DEFAULT_TIMEOUT
) -> str:
    """``GET`` the account JWT the server holds for ``account_key`` (raw, armor removed).

    Raises :class:`PushError` when the server cannot be reached, answers anything but 200, or
    answers something that is not a verified account JWT for ``account_key``.
    """
    _check_url(server_url)
    from pynsc.claims import AccountClaims, decode
    from pynsc.errors import NscError
    from pynsc.keys import parse_decorated_jwt

    url = account_url(server_url, account_key)
    action = "error pulling account jwt from"
    reply = _send("GET", url, None, timeout=timeout, failing=action)
    if reply.status != 200:
        raise _refused(action, reply)
    try:
        # the body was stripped: the armor's last line needs its newline back
        token = parse_decorated_jwt(reply.body + "\n").strip()
        claims = decode(token, AccountClaims)
    except NscError as err:
        raise PushError(f"{action} {url}: not an account jwt: {err}") from err
    if claims.sub != account_key:
        raise PushError(f"{action} {url}: the server answered the jwt of account {claims.sub}")
    return token


def fetch_operator(server_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> str:
    """``GET <server_url>/operator``: the operator JWT the account server serves (raw, armor
    removed, not verified here)."""
    _check_url(server_url)
    from pynsc.keys import parse_decorated_jwt

    url = join_url(server_url, "operator")
    action = "error pulling operator jwt from"
    reply = _send("GET", url, None, timeout=timeout, failing=action)
    if reply.status != 200:
        raise _refused(action, reply)
    return parse_decorated_jwt(reply.body + "\n").strip()


def _reason(err: Exception) -> str:
    """What went wrong with a request, in words: ``cannot resolve host "h"``, ``connection
    refused``, ``TLS handshake failed: …``, ``timed out``, else the innermost cause's text (never
    the pool and retry wrappers of requests/urllib3)."""
    import socket
    import ssl

    seen: set[int] = set()
    cause: BaseException | None = err
    chain: list[BaseException] = []
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        chain.append(cause)
        reason = getattr(cause, "reason", None)
        if isinstance(reason, BaseException):
            cause = reason
        else:
            cause = cause.__cause__ or cause.__context__
    text = " ".join(str(e) for e in chain)
    last = chain[-1]
    if any(isinstance(e, socket.gaierror) for e in chain) or "NameResolutionError" in text or (
        "Name or service not known" in text or "Temporary failure in name resolution" in text
    ):
        host = _host_of(err)
        return f"cannot resolve host {host!r}" if host else "cannot resolve the host name"
    if any(isinstance(e, ConnectionRefusedError) for e in chain) or "Connection refused" in text:
        return "connection refused"
    if any(isinstance(e, ssl.SSLError) for e in chain):
        tls = next(e for e in chain if isinstance(e, ssl.SSLError))
        return f"TLS handshake failed: {getattr(tls, 'reason', None) or tls}"
    if any(isinstance(e, TimeoutError) for e in chain) or "timed out" in text:
        return "timed out"
    if any(isinstance(e, ConnectionResetError) for e in chain):
        return "connection reset by the server"
    return str(last) or type(last).__name__


def _host_of(err: Exception) -> str:
    request = getattr(err, "request", None)
    url = getattr(request, "url", None)
    if not isinstance(url, str):
        return ""
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""
