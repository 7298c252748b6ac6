"""``examples/web_backend`` in a real headless Chromium against a real nats-server.

The page connects with the cookie only (no credentials in its JavaScript, which cannot even
read the cookie), exchanges messages on its project's subjects (and gets replies on its own
inbox prefix), and is refused outside them; a non-bearer JWT, an expired JWT and no cookie at
all are refused at connect.
"""

from __future__ import annotations

import asyncio
import json
import time
import urllib.error
import urllib.request
from collections.abc import Awaitable, Callable
from http.cookies import SimpleCookie
from typing import Any, TypeVar
from urllib.parse import quote

import pytest
from nats.aio.msg import Msg

from pynsc import claims, keys
from tests.integration.natsserver import connect_url

from .cdp import Chromium, Page, devtools
from .conftest import World

T = TypeVar("T")


def in_page(chromium: Chromium, scenario: Callable[[Page], Awaitable[T]]) -> T:
    """Run ``scenario`` with a fresh tab (its own cookie jar) of the session's browser."""

    async def run() -> T:
        async with devtools(chromium) as tools:
            page = await tools.new_page()
            return await scenario(page)

    return asyncio.run(run())


async def joined(page: Page, world: World, project: str) -> dict[str, Any]:
    """Open the page for ``project`` and wait until it has joined; its session answer."""
    await page.goto(f"{world.backend.url}/?project={project}")
    state = await page.wait_for(
        "['connected', 'failed'].includes(document.body.dataset.state)"
        " && document.body.dataset.state"
    )
    status = await page.evaluate("document.querySelector('#status').textContent")
    assert state == "connected", f"{status}\n{page.explain()}"
    session: dict[str, Any] = await page.evaluate("webBackend.state.session")
    return session


def bearer_jwt(world: World, *, bearer: bool = True, exp: int | None = None) -> str:
    """A session JWT as the backend issues it (signing key, ``issuer_account``), but made
    here, to put in a cookie by hand."""
    user = keys.generate("user")
    expires = int(time.time()) + 600 if exp is None else exp
    uc = claims.UserClaims(sub=user.public_key, name="by-hand", exp=expires)
    uc.nats.issuer_account = world.account.public_key
    uc.nats.bearer_token = bearer
    uc.nats.pub.allow = uc.nats.sub.allow = ["projects.42.>"]
    uc.nats.allowed_connection_types = ["WEBSOCKET"]
    return claims.encode(uc, world.account.signing_key)


# The page, connected by its cookie ------------------------------------------------------------


def test_page_connects_with_the_cookie_only_and_stays_in_its_project(
    chromium: Chromium, world: World
) -> None:
    async def scenario(page: Page) -> dict[str, Any]:
        responder = await connect_url(world.server.url, world.service_creds)

        async def echo(msg: Msg) -> None:
            await msg.respond(b"echo:" + msg.data)

        await responder.subscribe("projects.42.echo", cb=echo)
        await responder.flush()
        try:
            session = await joined(page, world, "42")
            [cookie] = await page.cookies(world.backend.url)
            return {
                "session": session,
                "cookie": cookie,
                "document_cookie": await page.evaluate("document.cookie"),
                "html": await page.evaluate("document.documentElement.outerHTML"),
                "round_trip": await page.evaluate(
                    "webBackend.roundTrip('projects.42.chat', 'hello')"
                ),
                "request": await page.evaluate("webBackend.request('projects.42.echo', 'hi')"),
                "pub_outside": await page.evaluate(
                    "webBackend.publishRefused('projects.43.chat')"
                ),
                "sub_outside": await page.evaluate("webBackend.first('projects.43.>')"),
                "sub_all_inboxes": await page.evaluate("webBackend.first('_INBOX.>')"),
                "still_there": await page.evaluate(
                    "webBackend.roundTrip('projects.42.chat', 'still here')"
                ),
            }
        finally:
            await responder.close()

    seen = in_page(chromium, scenario)

    session, cookie = seen["session"], seen["cookie"]
    # the cookie: HttpOnly (page scripts cannot read it), Secure, SameSite=Strict, a bearer JWT
    assert (cookie["name"], cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (
        "jwt", True, True, "Strict"
    )  # fmt: skip
    assert seen["document_cookie"] == ""
    token = cookie["value"]
    assert token not in json.dumps(session)
    assert token not in seen["html"]
    user: claims.UserClaims = claims.decode(token, claims.UserClaims)
    inbox = session["inbox_prefix"]
    assert inbox == f"_INBOX.{session['session']}"
    assert user.name == session["session"]
    assert user.nats.bearer_token is True
    assert user.nats.pub.allow == ["projects.42.>"]
    assert sorted(user.nats.sub.allow) == sorted(["projects.42.>", f"{inbox}.>"])
    assert user.nats.allowed_connection_types == ["WEBSOCKET"]
    assert user.iss == world.account.signing_key.public_key
    assert user.nats.issuer_account == world.account.public_key
    assert 3500 <= user.exp - int(time.time()) <= 3600
    # what it may do, and what it may not
    assert seen["round_trip"] == "hello"
    assert seen["request"] == "echo:hi"
    assert seen["pub_outside"] == [{
        "code": "PERMISSIONS_VIOLATION",
        "context": {"operation": "publish", "subject": "projects.43.chat"},
    }]  # fmt: skip
    assert seen["sub_outside"] == "PERMISSIONS_VIOLATION"
    assert seen["sub_all_inboxes"] == "PERMISSIONS_VIOLATION"
    assert seen["still_there"] == "still here"


# Refused at connect ---------------------------------------------------------------------------


@pytest.mark.parametrize("cookie", ["bearer", "non-bearer", "expired", "none"])
def test_only_a_valid_bearer_cookie_connects(
    chromium: Chromium, world: World, cookie: str
) -> None:
    tokens = {
        "bearer": bearer_jwt(world),
        "non-bearer": bearer_jwt(world, bearer=False),
        "expired": bearer_jwt(world, exp=int(time.time()) - 5),
    }

    async def scenario(page: Page) -> str:
        await page.goto(f"{world.backend.url}/")  # no project: the page does not log in
        await page.wait_for("document.body.dataset.ready === 'yes'")
        if cookie in tokens:
            await page.set_cookie(world.backend.url, "jwt", tokens[cookie])
        outcome: str = await page.evaluate("webBackend.tryConnect()")
        return outcome

    expected = "connected" if cookie == "bearer" else "AUTHORIZATION_VIOLATION"
    assert in_page(chromium, scenario) == expected


def test_logout_drops_the_cookie(chromium: Chromium, world: World) -> None:
    async def scenario(page: Page) -> tuple[int, list[dict[str, Any]], str]:
        await joined(page, world, "42")
        await page.evaluate("webBackend.state.nc.close()")
        status = await page.evaluate("fetch('/logout', {method: 'POST'}).then(r => r.status)")
        return status, await page.cookies(world.backend.url), await page.evaluate(
            "webBackend.tryConnect()"
        )

    status, cookies, outcome = in_page(chromium, scenario)

    assert status == 200
    assert cookies == []
    assert outcome == "AUTHORIZATION_VIOLATION"


# The backend alone ----------------------------------------------------------------------------


def post(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, method="POST", headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_session_answer_sets_the_cookie_and_holds_no_credentials(world: World) -> None:
    status, headers, body = post(f"{world.backend.url}/session?project=42")

    assert status == 200
    parsed = SimpleCookie()
    parsed.load(headers["Set-Cookie"])
    morsel = parsed["jwt"]
    assert (morsel["httponly"], morsel["secure"], morsel["samesite"], morsel["path"]) == (
        True, True, "Strict", "/"
    )  # fmt: skip
    assert 3590 <= int(morsel["max-age"]) <= 3600
    assert morsel.value not in body.decode()
    assert b"eyJ" not in body
    answer = json.loads(body)
    assert answer["subjects"] == "projects.42.>"
    assert answer["nats_ws"] == world.ws_url


@pytest.mark.parametrize("project", ["", "a.b", "*", ">", "a b"])
def test_session_refuses_a_project_that_is_not_one_subject_token(
    world: World, project: str
) -> None:
    status, headers, _ = post(f"{world.backend.url}/session?project={quote(project)}")

    assert status == 400
    assert "Set-Cookie" not in headers


def test_session_refuses_another_sites_page(world: World) -> None:
    status, headers, _ = post(f"{world.backend.url}/session?project=42",
                              {"Origin": "http://evil.example"})  # fmt: skip

    assert status == 403
    assert "Set-Cookie" not in headers
