"""``--field`` paths."""

from __future__ import annotations

from typing import Any

import pytest

from pynsc.cli.jsonpath import FieldPathError, extract_field, parse_field_path
from pynsc.errors import NscError

PAYLOAD: dict[str, Any] = {
    "sub": "A",
    "nats": {"keys": ["k0", "k1"], "grid": [[1, 2], [3, 4]], "limits": {"subs": -1}, "flag": None},
}


@pytest.mark.parametrize(
    ("path", "steps"),
    [
        ("sub", ["sub"]),
        ("nats.keys[1]", ["nats", "keys", 1]),
        ("nats.grid[1][0]", ["nats", "grid", 1, 0]),
        ("a.b[ 2 ].c", ["a", "b", 2, "c"]),
    ],
)
def test_parse(path: str, steps: list[str | int]) -> None:
    assert parse_field_path(path) == steps


@pytest.mark.parametrize(
    ("path", "value"),
    [
        ("sub", "A"),
        ("nats.keys[1]", "k1"),
        ("nats.grid[1][0]", 3),
        ("nats.limits", {"subs": -1}),
        ("nats.flag", None),
    ],
)
def test_extract(path: str, value: Any) -> None:
    assert extract_field(PAYLOAD, path) == value


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("nats.keys[2]", "out of bounds"),
        ("nats.keys[-1]", "out of bounds"),
        ("nats.keys[one]", "not a number"),
        ("nats.keys[0", "unterminated"),
        ("nats.keys]0", "malformed"),
        ("nats.keys[0]x", "malformed"),
        ("nats.missing", "'missing' not found in nats"),
        ("sub.x", "it is a string"),
        ("sub[0]", "it is a string"),
        ("nats[0]", "it is an object"),
        ("nats.flag.x", "it is null"),
        (".sub", "empty key"),
        ("", "empty"),
    ],
)
def test_errors(path: str, message: str) -> None:
    with pytest.raises(FieldPathError, match=message.replace("[", r"\[")):
        extract_field(PAYLOAD, path)


def test_errors_are_nsc_errors() -> None:
    assert issubclass(FieldPathError, NscError)


def test_an_overlong_path_is_refused_before_parsing() -> None:
    with pytest.raises(FieldPathError, match="longer than 4096"):
        parse_field_path("a" + "[0]" * 2000)
