"""``describe --field``: pick one value out of a JWT payload by a dotted path.

A path is dot-separated keys, each optionally followed by ``[i]`` indices: ``sub``,
``nats.signing_keys[0]``, ``nats.exports[1].subject``, ``nats.matrix[0][2]``.
"""

from __future__ import annotations

import json
import re
from typing import Any

from pynsc.errors import NscError

__all__ = ["FieldPathError", "encode_field", "extract_field", "parse_field_path"]

_SEGMENT = re.compile(r"([^\[\]]*)((?:\[[^\[\]]*\])*)")
_INDEX = re.compile(r"\[([^\[\]]*)\]")


MAX_PATH = 4096
"""The longest ``--field`` path read (a JWT is at most 1 MiB; no path into one is longer)."""


class FieldPathError(NscError):
    """A ``--field`` path that is malformed or does not lead to a value."""


def parse_field_path(path: str) -> list[str | int]:
    """``"a.b[0].c"`` → ``["a", "b", 0, "c"]``; keys are strings, indices ints."""
    if not path.strip():
        raise FieldPathError("field path is empty")
    if len(path) > MAX_PATH:
        raise FieldPathError(f"field path is longer than {MAX_PATH} characters")
    steps: list[str | int] = []
    for segment in path.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None:
            if "[" in segment and "]" not in segment[segment.index("[") :]:
                raise FieldPathError(
                    f"bad path - unterminated index expression {segment!r} in {path!r}"
                )
            raise FieldPathError(f"bad path - malformed segment {segment!r} in {path!r}")
        key, indices = match.groups()
        if key:
            steps.append(key)
        elif not indices:
            raise FieldPathError(f"bad path - empty key in {path!r}")
        for raw in _INDEX.findall(indices):
            try:
                index = int(raw.strip())
            except ValueError:
                raise FieldPathError(
                    f"bad path - index {raw!r} is not a number in {path!r}"
                ) from None
            steps.append(index)
    return steps


def extract_field(payload: Any, path: str) -> Any:
    """The value at ``path`` in ``payload``; :class:`FieldPathError` when it is not there."""
    value = payload
    walked = ""
    for step in parse_field_path(path):
        if isinstance(step, int):
            if not isinstance(value, list):
                raise FieldPathError(
                    f"cannot index {walked or 'the payload'} with [{step}]: it is {_kind(value)}"
                )
            if not 0 <= step < len(value):
                raise FieldPathError(
                    f"index [{step}] is out of bounds in {path!r}: {walked} has {len(value)} items"
                )
            value = value[step]
            walked += f"[{step}]"
        else:
            if not isinstance(value, dict):
                raise FieldPathError(
                    f"cannot read {step!r} of {walked or 'the payload'}: it is {_kind(value)}"
                )
            if step not in value:
                where = walked or "the payload"
                raise FieldPathError(f"field {step!r} not found in {where} (path {path!r})")
            value = value[step]
            walked = f"{walked}.{step}" if walked else step
    return value


def encode_field(value: Any) -> str:
    """A field value as compact JSON (strings quoted), without HTML escaping, like ``--json``."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"
