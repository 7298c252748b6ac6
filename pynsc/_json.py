"""``json.loads`` for text pynsc did not write: tokens, nsc.json, state files, server replies.

The standard parser recurses once per level of nesting, so ``[[[[…`` 100,000 deep raises
:class:`RecursionError`, which is no ``ValueError`` and escapes every ``except ValueError``.
:func:`loads` turns that, and any nesting deeper than :data:`MAX_DEPTH`, into
:class:`JSONDepthError`, a ``ValueError``, so callers catch one kind of error for bad JSON.
Nothing pynsc reads nests anywhere near :data:`MAX_DEPTH` deep (claims nest less than ten).
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["MAX_DEPTH", "JSONDepthError", "loads"]

MAX_DEPTH = 100


class JSONDepthError(ValueError):
    """JSON nested deeper than :data:`MAX_DEPTH`."""


def loads(data: str | bytes | bytearray) -> Any:
    """``json.loads(data)``; :class:`JSONDepthError` (a ``ValueError``) when it nests deeper
    than :data:`MAX_DEPTH`. Linear in ``data``, whatever its shape."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise JSONDepthError(f"JSON nested more than {MAX_DEPTH} levels deep") from None
    if _openings(data) > MAX_DEPTH and _depth(value) > MAX_DEPTH:
        raise JSONDepthError(f"JSON nested more than {MAX_DEPTH} levels deep")
    return value


def _openings(data: str | bytes | bytearray) -> int:
    """How many ``[`` and ``{`` ``data`` holds: more than its depth (a cheap first check)."""
    if isinstance(data, str):
        return data.count("[") + data.count("{")
    return data.count(b"[") + data.count(b"{")


def _depth(value: Any) -> int:
    """How deep ``value`` nests (a scalar is 0), without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > MAX_DEPTH:
            return deepest
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return deepest
