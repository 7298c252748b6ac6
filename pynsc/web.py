"""A user JWT in an HTTP-only cookie, for browsers connecting to nats-server over websockets.

nats-server's ``websocket { jwt_cookie: "jwt" }`` takes the user JWT from that cookie of the
websocket upgrade request when the client's ``CONNECT`` carries none. A web backend that has
authenticated a browser issues it a short-lived **bearer** user JWT and sets it in an
``HttpOnly`` cookie: the page's JavaScript never sees it, and the browser sends it along when
the page (served from the same host) opens its websocket::

    import pynsc

    creds = issuer.issue_user("session-1", bearer=True, allow_pub=["projects.42.>"],
                              allow_sub=["projects.42.>", "_INBOX_session-1.>"],
                              connection_types=["WEBSOCKET"], expiry=3600)
    cookie = pynsc.jwt_cookie(creds.jwt)
    handler.send_header("Set-Cookie", cookie.header())
    # jwt=eyJ0…; Max-Age=3600; Path=/; HttpOnly; Secure; SameSite=Strict

    # or with a framework (aiohttp, Starlette, Flask/Werkzeug, Django):
    response.set_cookie(cookie.name, cookie.value, **cookie.attributes())

Only a bearer token works there: nats-server otherwise wants the nonce of its ``INFO`` signed
with the user's seed, which a cookie cannot carry. Nothing here prints; errors are
:class:`~pynsc.errors.NscError` subclasses.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field

from pynsc.errors import ClaimsError, UsageError

__all__ = ["COOKIE_LIMIT", "JwtCookie", "check_cookie_name", "jwt_cookie"]

COOKIE_LIMIT = 4096
"""The most bytes of name and value a browser keeps in one cookie (RFC 6265 §6.1's minimum,
and what Chromium and Firefox allow); a longer cookie is dropped without a word."""

_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
"""An RFC 7230 token: what a cookie name (and nats-server's ``jwt_cookie``) may be."""

_OCTETS = re.compile(r"[\x21\x23-\x2b\x2d-\x3a\x3c-\x5b\x5d-\x7e]*")
"""RFC 6265 cookie-octets: what an unquoted cookie value may hold (a JWT always fits)."""

_ATTRIBUTE = re.compile(r"[^\x00-\x1f\x7f;]*")
"""What a ``Path`` or ``Domain`` attribute may hold: no control characters, no ``;``."""

_SAME_SITE = {"strict": "Strict", "lax": "Lax", "none": "None"}

_CREDS_MARK = "-----BEGIN"


def check_cookie_name(name: str) -> str:
    """``name``, if it can be a cookie name (an RFC 7230 token); else a
    :class:`~pynsc.errors.UsageError`."""
    if not _TOKEN.fullmatch(name):
        raise UsageError(
            f"{name!r} is not a valid cookie name",
            hint="use letters, digits and !#$%&'*+-.^_`|~ only, e.g. jwt",
        )
    return name


@dataclass(frozen=True, slots=True)
class JwtCookie:
    """A ``Set-Cookie`` for a user JWT: what :func:`jwt_cookie` returns.

    ``max_age`` is the seconds left until the JWT expires (``None``: the JWT does not expire,
    so the cookie lasts the browser session). ``http_only`` is always ``True``: page scripts
    never read the JWT. ``secure`` (default) keeps it off plain-HTTP requests; Chromium treats
    ``http://localhost`` and ``http://127.0.0.1`` as secure, so it works there too.
    """

    name: str
    value: str
    max_age: int | None
    secure: bool = True
    http_only: bool = field(default=True, init=False)
    same_site: str = "Strict"
    path: str = "/"
    domain: str | None = None

    def __post_init__(self) -> None:
        check_cookie_name(self.name)
        if not _OCTETS.fullmatch(self.value):
            raise UsageError(f"the value of cookie {self.name!r} holds characters a cookie cannot")
        if self.max_age is not None and (isinstance(self.max_age, bool) or self.max_age < 0):
            raise UsageError(f"max_age {self.max_age!r} must be a number of seconds, 0 or more")
        if self.same_site not in _SAME_SITE.values():
            raise UsageError(
                f"same_site {self.same_site!r} is not Strict, Lax or None",
                hint='"Strict" (the default) keeps the cookie off requests from other sites',
            )
        if self.same_site == "None" and not self.secure:
            raise UsageError(
                "a SameSite=None cookie must be Secure (browsers drop it otherwise)",
                hint='keep secure=True, or use same_site="Strict"',
            )
        if not self.path.startswith("/") or not _ATTRIBUTE.fullmatch(self.path):
            raise UsageError(f"cookie path {self.path!r} must start with '/' and hold no ';'")
        if self.domain is not None and (
            not self.domain or not _ATTRIBUTE.fullmatch(self.domain) or " " in self.domain
        ):
            raise UsageError(f"cookie domain {self.domain!r} is not a host name")

    def header(self) -> str:
        """The ``Set-Cookie`` header value:
        ``jwt=<token>; Max-Age=3599; Path=/; HttpOnly; Secure; SameSite=Strict``."""
        parts = [f"{self.name}={self.value}"]
        if self.max_age is not None:
            parts.append(f"Max-Age={self.max_age}")
        parts.append(f"Path={self.path}")
        if self.domain is not None:
            parts.append(f"Domain={self.domain}")
        parts.append("HttpOnly")
        if self.secure:
            parts.append("Secure")
        parts.append(f"SameSite={self.same_site}")
        return "; ".join(parts)

    def attributes(self) -> dict[str, str | int | bool]:
        """The attributes as the keyword arguments web frameworks' ``set_cookie(name, value,
        **attributes)`` take (aiohttp, Starlette, Flask/Werkzeug, Django): ``max_age`` (left out
        when ``None``), ``path``, ``domain`` (left out when ``None``), ``secure``, ``httponly``
        and ``samesite``."""
        found: dict[str, str | int | bool] = {}
        if self.max_age is not None:
            found["max_age"] = self.max_age
        found["path"] = self.path
        if self.domain is not None:
            found["domain"] = self.domain
        found["secure"] = self.secure
        found["httponly"] = self.http_only
        found["samesite"] = self.same_site
        return found


def _a(noun: str) -> str:
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"


def _payload(token: str) -> dict[str, object]:
    from pynsc.claims import peek  # loads nacl: only when a cookie is made

    return peek(token)


def jwt_cookie(
    token: str,
    name: str = "jwt",
    *,
    secure: bool = True,
    same_site: str = "Strict",
    path: str = "/",
    domain: str | None = None,
    now: int | None = None,
) -> JwtCookie:
    """The cookie carrying the bearer user JWT ``token``, named as nats-server's ``jwt_cookie``.

    ``Max-Age`` is what is left of the JWT's life (``exp`` minus ``now``, default the clock):
    the browser drops the cookie when nats-server would refuse the JWT anyway. A JWT without
    ``exp`` gives a session cookie (no ``Max-Age``). ``same_site`` is ``Strict``, ``Lax`` or
    ``None`` (any case).

    The token is read, not verified (the issuer just signed it; nats-server verifies it).
    Raises :class:`~pynsc.errors.ClaimsError` for a token that is not a user JWT, not a bearer
    token (nats-server would refuse it from a cookie: there is no seed to sign its nonce with),
    already expired, or too long for a browser to keep; :class:`~pynsc.errors.UsageError` for a
    bad name or attribute.
    """
    token = token.strip()
    if token.startswith(_CREDS_MARK):
        raise ClaimsError(
            "that is a creds file, not a JWT",
            hint="pass the JWT alone (creds.jwt): the user's seed must never reach a browser",
        )
    payload = _payload(token)
    nats = payload.get("nats")
    nats = nats if isinstance(nats, dict) else {}
    kind = nats.get("type") or payload.get("type")  # v2, else v1
    subject = payload.get("sub", "")
    if kind != "user":
        raise ClaimsError(
            f"the cookie JWT must be a user JWT, not {_a(str(kind or 'untyped'))} JWT",
            hint="issue a user with bearer=True (pynsc.Issuer.issue_user, "
            "or 'pynsc add user --bearer')",
        )
    if nats.get("bearer_token") is not True:
        raise ClaimsError(
            f"user {subject} is not a bearer token: nats-server refuses a JWT from a cookie "
            "unless it is, since a browser has no seed to sign the server's nonce with",
            hint="issue it with bearer=True (or 'pynsc add user --bearer'), short-lived",
        )
    moment = int(time.time()) if now is None else now
    exp = payload.get("exp")
    max_age: int | None = None
    if isinstance(exp, int) and not isinstance(exp, bool) and exp > 0:
        if exp <= moment:
            raise ClaimsError(
                f"user {subject} has expired: nats-server would refuse it",
                hint="issue a new JWT (with an expiry) for this session",
            )
        max_age = exp - moment
    cookie = JwtCookie(
        name, token, max_age, secure=secure,
        same_site=_SAME_SITE.get(same_site.lower(), same_site), path=path,
        domain=domain,
    )  # fmt: skip
    size = len(name) + 1 + len(token)
    if size > COOKIE_LIMIT:
        raise ClaimsError(
            f"the JWT of user {subject} is too long for a cookie: {size} bytes, browsers keep "
            f"{COOKIE_LIMIT} at most and drop longer ones silently",
            hint="grant fewer subjects (one wildcard such as 'projects.42.>' covers many)",
        )
    return cookie
