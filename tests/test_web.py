"""``pynsc.web``: the HTTP-only cookie carrying a bearer user JWT for nats-server's
``jwt_cookie``: its header, its attributes, and the tokens it refuses."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from http.cookies import SimpleCookie

import pytest

from pynsc import claims, keys
from pynsc.errors import ClaimsError, DecodeError, UsageError
from pynsc.web import COOKIE_LIMIT, JwtCookie, check_cookie_name, jwt_cookie

NOW = 1_700_000_000
ACCOUNT = keys.generate("account")


def user_jwt(*, bearer: bool = True, exp: int = NOW + 3600, subjects: int = 1) -> str:
    user = keys.generate("user")
    uc = claims.UserClaims(sub=user.public_key, name="session-1", exp=exp)
    uc.nats.bearer_token = bearer
    uc.nats.pub.allow = [f"projects.{n}.>" for n in range(subjects)]
    uc.nats.allowed_connection_types = ["WEBSOCKET"]
    return claims.encode(uc, ACCOUNT, iat=NOW)


# The cookie ---------------------------------------------------------------------------------


def test_header_of_a_bearer_jwt() -> None:
    token = user_jwt()

    cookie = jwt_cookie(token, now=NOW + 1)

    assert cookie == JwtCookie("jwt", token, 3599)
    assert cookie.header() == (
        f"jwt={token}; Max-Age=3599; Path=/; HttpOnly; Secure; SameSite=Strict"
    )
    assert cookie.http_only is True


def test_attributes_are_what_frameworks_set_cookie_takes() -> None:
    cookie = jwt_cookie(user_jwt(), "nats_jwt", now=NOW, domain="app.example.com")

    assert cookie.attributes() == {
        "max_age": 3600, "path": "/", "domain": "app.example.com", "secure": True,
        "httponly": True, "samesite": "Strict",
    }  # fmt: skip


def test_header_parses_back_as_a_cookie() -> None:
    token = user_jwt()
    cookie = jwt_cookie(token, path="/app", domain="example.com", same_site="lax", now=NOW)

    parsed = SimpleCookie()
    parsed.load(cookie.header())

    morsel = parsed["jwt"]
    assert morsel.value == token
    assert morsel["max-age"] == "3600"
    assert morsel["path"] == "/app"
    assert morsel["domain"] == "example.com"
    assert morsel["httponly"] is True
    assert morsel["secure"] is True
    assert morsel["samesite"] == "Lax"


def test_insecure_cookie_for_plain_http_leaves_out_secure() -> None:
    cookie = jwt_cookie(user_jwt(), secure=False, now=NOW)

    assert cookie.header().endswith("; Path=/; HttpOnly; SameSite=Strict")
    assert cookie.attributes()["secure"] is False


def test_jwt_without_expiry_gives_a_session_cookie() -> None:
    cookie = jwt_cookie(user_jwt(exp=0), now=NOW)

    assert cookie.max_age is None
    assert "Max-Age" not in cookie.header()
    assert "max_age" not in cookie.attributes()


def test_max_age_follows_the_clock_by_default() -> None:
    import time

    token = user_jwt(exp=int(time.time()) + 600)

    max_age = jwt_cookie(token).max_age

    assert max_age is not None
    assert 590 <= max_age <= 600


def test_token_is_stripped() -> None:
    token = user_jwt()

    assert jwt_cookie(f"  {token}\n", now=NOW).value == token


def test_logout_cookie_is_a_replacement_with_max_age_0() -> None:
    cookie = jwt_cookie(user_jwt(), now=NOW)

    gone = dataclasses.replace(cookie, value="", max_age=0)

    assert gone.header() == "jwt=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict"


# What it refuses ----------------------------------------------------------------------------


def test_non_bearer_jwt_is_refused() -> None:
    with pytest.raises(ClaimsError, match="is not a bearer token") as raised:
        jwt_cookie(user_jwt(bearer=False), now=NOW)
    assert "nonce" in str(raised.value)
    assert raised.value.hint is not None
    assert "bearer=True" in raised.value.hint


@pytest.mark.parametrize("exp", [NOW, NOW - 1])
def test_expired_jwt_is_refused(exp: int) -> None:
    with pytest.raises(ClaimsError, match="has expired") as raised:
        jwt_cookie(user_jwt(exp=exp), now=NOW)
    assert raised.value.hint is not None


def test_account_and_operator_jwts_are_refused() -> None:
    operator = keys.generate("operator")
    token = claims.encode(claims.AccountClaims(sub=ACCOUNT.public_key, name="A"), operator)

    with pytest.raises(ClaimsError, match="must be a user JWT, not an account JWT"):
        jwt_cookie(token, now=NOW)
    operator_jwt = claims.encode(claims.OperatorClaims(sub=operator.public_key, name="O"), operator)
    with pytest.raises(ClaimsError, match="must be a user JWT, not an operator JWT"):
        jwt_cookie(operator_jwt, now=NOW)


def test_creds_text_is_refused_so_no_seed_reaches_a_browser() -> None:
    user = keys.generate("user")
    uc = claims.UserClaims(sub=user.public_key, name="u")
    uc.nats.bearer_token = True
    creds = keys.format_creds(claims.encode(uc, ACCOUNT), user.require_seed())

    with pytest.raises(ClaimsError, match="creds file, not a JWT") as raised:
        jwt_cookie(creds, now=NOW)
    assert raised.value.hint is not None
    assert "seed must never reach a browser" in raised.value.hint


def test_malformed_token_is_a_decode_error() -> None:
    with pytest.raises(DecodeError):
        jwt_cookie("not.a.jwt", now=NOW)


def test_jwt_too_long_for_a_browser_is_refused() -> None:
    token = user_jwt(subjects=200)
    assert len(token) > COOKIE_LIMIT

    with pytest.raises(ClaimsError, match="too long for a cookie"):
        jwt_cookie(token, now=NOW)


@pytest.mark.parametrize("name", ["", "a b", "jwt;", "j=wt", "jwt\n", "é"])
def test_bad_cookie_names_are_refused(name: str) -> None:
    with pytest.raises(UsageError, match="not a valid cookie name"):
        check_cookie_name(name)
    with pytest.raises(UsageError, match="not a valid cookie name"):
        jwt_cookie(user_jwt(), name, now=NOW)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"same_site": "sometimes"}, "is not Strict, Lax or None"),
        ({"same_site": "none", "secure": False}, "SameSite=None cookie must be Secure"),
        ({"path": "app"}, "must start with '/'"),
        ({"path": "/a;b"}, "must start with '/'"),
        ({"domain": ""}, "is not a host name"),
        ({"domain": "a.com; x=y"}, "is not a host name"),
    ],
)
def test_bad_attributes_are_refused(options: dict[str, object], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        jwt_cookie(user_jwt(), now=NOW, **options)  # type: ignore[arg-type]


def test_same_site_none_when_secure() -> None:
    cookie = jwt_cookie(user_jwt(), same_site="NONE", now=NOW)

    assert cookie.header().endswith("; Secure; SameSite=None")


def test_cookie_checks_its_own_fields() -> None:
    with pytest.raises(UsageError, match="holds characters a cookie cannot"):
        JwtCookie("jwt", "a b", None)
    with pytest.raises(UsageError, match="0 or more"):
        JwtCookie("jwt", "x", -1)
    with pytest.raises(TypeError):
        JwtCookie("jwt", "x", None, http_only=False)  # type: ignore[call-arg]


def test_importing_pynsc_web_loads_nothing_heavy() -> None:
    code = (
        "import sys, pynsc.web\n"
        "heavy = [m for m in ('click', 'rich', 'nacl', 'nats', 'aiohttp') if m in sys.modules]\n"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
