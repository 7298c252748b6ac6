"""The resolver protocol without a server: reply parsing, when a gathering window is done, pack
lines and the delete request."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest

from pynsc import claims as c
from pynsc import keys
from pynsc.errors import PushError
from pynsc.push.operations import delete_request
from pynsc.push.resolver import ServerReply, _Window, parse_pack, parse_reply


def _server(name: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "host": "0.0.0.0", "id": f"ID-{name}", "ver": "2.15.1", **extra}


def _reply(name: str, **body: Any) -> bytes:
    return json.dumps({"server": _server(name), **body}).encode()


def _ping(name: str, routes: list[str] = (), gateways: list[str] | None = None) -> bytes:  # type: ignore[assignment]
    statsz: dict[str, Any] = {"routes": [{"rid": i, "name": r} for i, r in enumerate(routes)]}
    if gateways:
        statsz["gateways"] = [{"name": g} for g in gateways]
    return json.dumps({"server": _server(name), "statsz": statsz}).encode()


def test_success_reply() -> None:
    reply = parse_reply(_reply("n1", data={"account": "AX", "code": 200, "message": "jwt updated"}))
    assert reply == ServerReply(
        server="n1", server_id="ID-n1", ok=True, code=200, message="jwt updated", account="AX",
        data={"account": "AX", "code": 200, "message": "jwt updated"},
    )  # fmt: skip


def test_error_reply() -> None:
    reply = parse_reply(_reply("n2", error={"account": "AX", "code": 500,
                                            "description": "jwt validation failed - bad"}))
    assert (reply.ok, reply.code, reply.message, reply.account) == (
        False, 500, "jwt validation failed - bad", "AX"
    )


def test_list_reply_keeps_the_data() -> None:
    reply = parse_reply(_reply("n1", data=["A1", "A2"]))
    assert reply.ok
    assert reply.data == ["A1", "A2"]


@pytest.mark.parametrize("payload", [b"not json", b"[]", b'{"data":{}}', b'{"server":{}}'])
def test_invalid_replies_are_refused(payload: bytes) -> None:
    with pytest.raises(PushError):
        parse_reply(payload)


def test_pack_lines() -> None:
    assert parse_pack(b"A1|t1\nA2|t2\n\nbroken\n") == [("A1", "t1"), ("A2", "t2")]


def test_delete_request_is_a_self_signed_generic_claim() -> None:
    operator = keys.generate("operator")
    token = delete_request(["AAA", "BBB"], operator)
    claims = c.decode_generic(token)
    assert claims.sub == claims.iss == operator.public_key
    assert claims.nats["accounts"] == ["AAA", "BBB"]


# The window ----------------------------------------------------------------------------------


def _window(count: int, timeout: float = 5.0) -> _Window:
    async def make() -> _Window:
        return _Window(count, timeout=timeout, on_reply=None)

    return asyncio.run(make())


def test_done_once_every_server_named_by_the_routes_answered_every_request() -> None:
    window = _window(2)
    window.ping(_ping("n1", routes=["n2", "n3", "n3"]))
    now = window.started
    ok = {"data": {"code": 200, "message": "jwt updated"}}
    for index in (0, 1):
        for name in ("n1", "n2"):
            window.reply(index, _reply(name, **ok))
    assert not window.done(now)  # n2 and n3 have not answered the ping yet
    window.ping(_ping("n2", routes=["n1", "n3"]))
    window.ping(_ping("n3", routes=["n1", "n2"]))
    assert not window.done(now)  # n3 has not answered the requests
    window.reply(0, _reply("n3", **ok))
    assert not window.done(now)
    window.reply(1, _reply("n3", **ok))
    assert window.done(now)


def test_a_server_that_answers_without_pinging_is_waited_for() -> None:
    window = _window(2)
    window.ping(_ping("n1"))
    window.reply(0, _reply("n9", data={}))
    window.reply(0, _reply("n1", data={}))
    window.reply(1, _reply("n1", data={}))
    # n9 answered a request, not the ping: the ping window runs out, then n9 is waited for
    assert not window.done(window.started)
    assert not window.done(window.started + 0.6)
    window.reply(1, _reply("n9", data={}))
    assert window.done(window.started + 0.6)


def test_with_gateways_the_ping_window_is_waited_out() -> None:
    window = _window(1)
    window.ping(_ping("n1", gateways=["other"]))
    window.reply(0, _reply("n1", data={}))
    assert not window.done(window.started)
    assert window.done(window.started + 0.6)


def test_nothing_answered_is_never_done_before_the_timeout() -> None:
    window = _window(1)
    assert not window.done(window.started + 10)


def test_wait_ends_after_the_timeout_without_replies() -> None:
    async def scenario() -> float:
        window = _Window(1, timeout=0.05, on_reply=None)
        loop = asyncio.get_running_loop()
        start = loop.time()
        await window.wait()
        return loop.time() - start

    assert 0.04 < asyncio.run(scenario()) < 1.0


def test_invalid_replies_are_kept_as_problems() -> None:
    window = _window(1)
    window.reply(0, b"garbage")
    assert window.invalid
    assert window.replies == [{}]
