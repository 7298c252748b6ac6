"""The fast base32 codec agrees with the standard library on every input."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pynsc._base32 import b32decode, b32encode


@given(st.binary(max_size=80))
def test_encode_matches_stdlib(raw: bytes) -> None:
    assert b32encode(raw) == base64.b32encode(raw).decode().rstrip("=")


@given(st.binary(max_size=80))
def test_decode_inverts_encode(raw: bytes) -> None:
    assert b32decode(b32encode(raw)) == raw


@pytest.mark.parametrize("text", ["abc", "A1", "A=", "A B"])
def test_decode_refuses_non_alphabet(text: str) -> None:
    with pytest.raises(ValueError, match="not base32"):
        b32decode(text)
