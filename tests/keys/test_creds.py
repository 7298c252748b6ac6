"""Creds files: byte-identical to Go's layout, and tolerant parsing."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pynsc import keys
from pynsc.errors import CredsError
from tests.conftest import GO_FIXTURES

CREDS_FILES = sorted(GO_FIXTURES.glob("*.creds"))


@pytest.mark.parametrize("path", CREDS_FILES, ids=lambda p: p.name)
def test_go_creds_reproduced_byte_for_byte(path: object) -> None:
    from pathlib import Path

    assert isinstance(path, Path)
    stem = path.stem
    jwt = (GO_FIXTURES / f"{stem}.jwt").read_text().strip()
    seed = (GO_FIXTURES / f"{stem}.nk").read_text().strip()
    text = path.read_text()
    assert keys.format_creds(jwt, seed) == text
    parsed = keys.parse_creds(text)
    assert (parsed.jwt, parsed.seed) == (jwt, seed)


def test_creds_layout_literally() -> None:
    user = keys.generate("user")
    text = keys.format_creds("a.b.c", user.seed or "")
    assert text == (
        "-----BEGIN NATS USER JWT-----\na.b.c\n------END NATS USER JWT------\n\n"
        "************************* IMPORTANT *************************\n"
        "NKEY Seed printed below can be used to sign and prove identity.\n"
        "NKEYs are sensitive and should be treated as secrets.\n\n"
        f"-----BEGIN USER NKEY SEED-----\n{user.seed}\n------END USER NKEY SEED------\n\n"
        "*************************************************************\n"
    )


def test_decorated_jwt_and_raw_token() -> None:
    decorated = keys.decorate_jwt("x.y.z", "account")
    assert decorated == (
        "-----BEGIN NATS ACCOUNT JWT-----\nx.y.z\n------END NATS ACCOUNT JWT------\n\n"
    )
    assert keys.parse_decorated_jwt(decorated) == "x.y.z"
    assert keys.parse_decorated_jwt("  x.y.z \n") == "x.y.z"


def test_crlf_and_loose_dashes_are_accepted() -> None:
    user = keys.generate("user")
    text = (
        f"---BEGIN JWT---\r\na.b.c\r\n---END JWT---\r\n\r\n"
        f"--- seed ---\r\n{user.seed}\r\n--- end ---\r\n"
    )
    parsed = keys.parse_creds(text)
    assert parsed.jwt == "a.b.c"
    assert parsed.seed == user.seed


def test_creds_without_jwt_block() -> None:
    with pytest.raises(CredsError, match="no JWT block"):
        keys.parse_creds(keys.decorate_seed(keys.generate("user").seed or ""))


def test_creds_without_seed_block() -> None:
    with pytest.raises(CredsError, match="no seed block"):
        keys.parse_creds(keys.decorate_jwt("a.b.c"))


def test_creds_with_account_seed_is_refused() -> None:
    account = keys.generate("account")
    text = keys.decorate_jwt("a.b.c") + keys.decorate_seed(account.seed or "") + "\n"
    with pytest.raises(CredsError, match="account seed"):
        keys.parse_creds(text)
    with pytest.raises(CredsError, match="user seed"):
        keys.format_creds("a.b.c", account.seed or "")


_CHUNK = r"[A-Za-z0-9_\-]{1,40}"
_TOKEN = st.from_regex(rf"{_CHUNK}\.{_CHUNK}\.{_CHUNK}", fullmatch=True)


@given(token=_TOKEN, raw=st.binary(min_size=32, max_size=32))
def test_creds_round_trip(token: str, raw: bytes) -> None:
    import nkeys

    seed = nkeys.encode_seed(raw, nkeys.PREFIX_BYTE_USER).decode()
    parsed = keys.parse_creds(keys.format_creds(token, seed))
    assert (parsed.jwt, parsed.seed) == (token, seed)


def test_write_creds_is_private_and_atomic(tmp_path: object) -> None:
    import stat
    from pathlib import Path

    assert isinstance(tmp_path, Path)
    target = tmp_path / "new" / "u.creds"
    user = keys.generate("user")
    text = keys.format_creds("a.b.c", user.require_seed())
    assert keys.write_creds(target, text) == target
    assert target.read_text() == text
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert stat.S_IMODE(target.parent.stat().st_mode) == 0o700
    assert [p.name for p in target.parent.iterdir()] == ["u.creds"]


def test_armor_at_end_of_text_without_newline() -> None:
    """Go's reader accepts an END line that ends the text (an HTTP body, say)."""
    assert keys.parse_decorated_jwt(keys.decorate_jwt("a.b.c").rstrip("\n")) == "a.b.c"
