"""Malformed JSON is a pynsc error, fast, wherever pynsc reads JSON it did not write (issue 9,
defect 4): a header or payload nested 100,000 deep raised ``RecursionError`` from every decoder.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from pynsc import _json, claims, keys
from pynsc.errors import DecodeError, NscError, PushError, ServerError
from pynsc.store import ToolConfig

HEADER = '{"typ":"JWT","alg":"ed25519-nkey"}'
DEEP = 100_000


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).rstrip(b"=").decode()


def _token(header: str, payload: str) -> str:
    return f"{_b64(header)}.{_b64(payload)}.{_b64('x' * 64)}"


def _nested(depth: int, kind: str = "[") -> str:
    close = "]" if kind == "[" else "}"
    opening = "[" if kind == "[" else '{"a":'
    return opening * depth + "1" * (kind == "[") + ("null" if kind == "{" else "") + close * depth


TOKENS = {
    "deep header": _token("[" * DEEP + "]" * DEEP, "{}"),
    "deep header object": _token(_nested(DEEP, "{"), "{}"),
    "deep payload": _token(HEADER, '{"nats":' + "[" * DEEP + "]" * DEEP + "}"),
    "deep payload object": _token(HEADER, '{"nats":' + _nested(DEEP, "{") + "}"),
    "deep unterminated": _token(HEADER, "[" * DEEP),
    "just over the bound": _token(HEADER, '{"nats":' + _nested(_json.MAX_DEPTH, "{") + "}"),
}

DECODERS: dict[str, Callable[[str], Any]] = {
    "decode": claims.decode,
    "decode(expected=UserClaims)": lambda t: claims.decode(t, claims.UserClaims),
    "decode_token": claims.decode_token,
    "decode_generic": claims.decode_generic,
    "decode_unverified": lambda t: claims.decode_unverified(t, claims.AccountClaims),
    "peek": claims.peek,
}


@pytest.mark.parametrize("decoder", DECODERS.values(), ids=DECODERS.keys())
@pytest.mark.parametrize("token", TOKENS.values(), ids=TOKENS.keys())
def test_deep_nesting_is_a_decode_error_fast(token: str, decoder: Callable[[str], Any]) -> None:
    started = time.perf_counter()
    with pytest.raises(DecodeError, match="nested more than 100 levels"):
        decoder(token)
    assert time.perf_counter() - started < 1.0


def test_deep_nesting_in_creds_is_an_error() -> None:
    user = keys.generate("user")
    text = keys.format_creds(TOKENS["deep payload"], user.require_seed())
    with pytest.raises(DecodeError):
        claims.decode_creds(text)


def test_nesting_within_the_bound_decodes() -> None:
    """Generic claims may nest; :data:`MAX_DEPTH` levels, counting the payload, are fine."""
    key = keys.generate("account")
    inner: Any = 1
    for _ in range(_json.MAX_DEPTH - 2):  # the payload and ``nats`` are two levels
        inner = [inner]
    token = claims.encode(claims.GenericClaims(sub=key.public_key, nats={"deep": inner}), key)
    decoded = claims.decode_generic(token)
    assert decoded.nats["deep"] == inner


@pytest.mark.parametrize(
    "text",
    ["[" * DEEP, "[" * DEEP + "]" * DEEP, _nested(_json.MAX_DEPTH + 1, "{"), b"[" * DEEP],
    ids=["open", "closed", "just over", "bytes"],
)
def test_loads_turns_depth_into_a_value_error(text: str | bytes) -> None:
    with pytest.raises(_json.JSONDepthError):
        _json.loads(text)
    assert issubclass(_json.JSONDepthError, ValueError)


def test_loads_counts_depth_not_brackets_in_strings() -> None:
    text = '{"a":"' + "[" * 500 + '","b":[' + ",".join(["[]"] * 500) + "]}"
    assert _json.loads(text)["a"] == "[" * 500


def test_deep_nsc_json_reads_as_the_defaults(tmp_path: Path) -> None:
    path = tmp_path / "nsc.json"
    path.write_text('{"operator":' + "[" * DEEP + "]" * DEEP + "}")
    assert ToolConfig.load(path) == ToolConfig()


def test_deep_resolver_reply_is_a_push_error() -> None:
    from pynsc.push.resolver import parse_reply

    with pytest.raises(PushError):
        parse_reply(b'{"server":' + b"[" * DEEP + b"]" * DEEP + b"}")


def test_deep_server_state_is_a_server_error(tmp_path: Path) -> None:
    from pynsc.localserver.state import STATE_FILE, read_state

    (tmp_path / STATE_FILE).write_text("[" * DEEP)
    with pytest.raises(ServerError):
        read_state(tmp_path)


def test_every_decoder_error_is_an_nsc_error() -> None:
    assert issubclass(DecodeError, NscError)


def test_deep_operator_info_reads_as_no_operator(tmp_path: Path) -> None:
    from pynsc.store.store import StoreInfo

    path = tmp_path / ".nsc"
    path.write_text("[" * DEEP)
    assert StoreInfo.read(path) is None
