"""Creds files and decorated (armored) JWTs and seeds, byte-identical to nats-io/jwt v2.

A creds file is a decorated user JWT followed by a decorated user seed::

    -----BEGIN NATS USER JWT-----
    <jwt>
    ------END NATS USER JWT------

    ************************* IMPORTANT *************************
    ...
    -----BEGIN USER NKEY SEED-----
    <seed>
    ------END USER NKEY SEED------

    *************************************************************

BEGIN lines have five dashes on each side, END lines six. Readers accept any block framed by lines
of three or more dashes, and fall back to the raw text when there is no armor at all.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from pynsc._model import dataclass
from pynsc.errors import CredsError
from pynsc.keys.nkey import KeyKind, KeyPair, from_seed, seed_kind

if TYPE_CHECKING:
    from pathlib import Path

__all__ = [
    "MAX_CREDS_SIZE",
    "Creds",
    "decorate_jwt",
    "decorate_seed",
    "format_creds",
    "parse_creds",
    "parse_decorated_jwt",
    "parse_decorated_seed",
    "write_creds",
]

_BANNER = "*" * 25 + " IMPORTANT " + "*" * 25
_WARNING = (
    "NKEY Seed printed below can be used to sign and prove identity.\n"
    "NKEYs are sensitive and should be treated as secrets."
)
_FOOTER = "*" * 61
_SEED_NAMES = {
    KeyKind.OPERATOR: "OPERATOR",
    KeyKind.ACCOUNT: "ACCOUNT",
    KeyKind.USER: "USER",
    KeyKind.SERVER: "SERVER",
    KeyKind.CLUSTER: "CLUSTER",
    KeyKind.CURVE: "CURVE",
}
#: The largest creds or decorated-JWT text read: room for the largest token (1 MiB, as
#: :data:`pynsc.claims.MAX_TOKEN_SIZE`), its armor, the banner and the seed.
MAX_CREDS_SIZE = 1024 * 1024 + 64 * 1024
# What a block's token may hold: Go's ``[\w\-.=]+`` (ASCII letters, digits, ``_-.=``).
#: the characters of a JWT line (tested with ``str.strip``: no regex to compile at import)
_TOKEN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.="


def _is_token(text: str) -> bool:
    return bool(text) and not text.strip(_TOKEN_CHARACTERS)


@dataclass(frozen=True, slots=True)
class Creds:
    """What a creds file holds: a user JWT and the user's seed."""

    jwt: str
    seed: str

    @property
    def key(self) -> KeyPair:
        return from_seed(self.seed)


def decorate_jwt(token: str, kind: str = "user") -> str:
    """``token`` in its armor: ``-----BEGIN NATS <KIND> JWT-----`` … and a blank line."""
    name = kind.upper()
    return f"-----BEGIN NATS {name} JWT-----\n{token}\n------END NATS {name} JWT------\n\n"


def decorate_seed(seed: str) -> str:
    """``seed`` with the IMPORTANT banner and its armor, as in a creds file (no final newline)."""
    kind = seed_kind(seed)
    if kind is None:
        raise CredsError("not an nkey seed")
    name = _SEED_NAMES[kind]
    return (
        f"{_BANNER}\n{_WARNING}\n\n"
        f"-----BEGIN {name} NKEY SEED-----\n{seed}\n------END {name} NKEY SEED------\n\n"
        f"{_FOOTER}"
    )


_CREDS_MIDDLE = (
    f"\n------END NATS USER JWT------\n\n{_BANNER}\n{_WARNING}\n\n-----BEGIN USER NKEY SEED-----\n"
)
_CREDS_END = f"\n------END USER NKEY SEED------\n\n{_FOOTER}\n"


def format_creds(jwt: str, seed: str) -> str:
    """The exact text of a user creds file for ``jwt`` and the user ``seed``: the decorated JWT
    (:func:`decorate_jwt`), then the decorated seed (:func:`decorate_seed`) and a newline."""
    if seed_kind(seed) is not KeyKind.USER:
        raise CredsError("a creds file needs a user seed (SU…)")
    return f"-----BEGIN NATS USER JWT-----\n{jwt}{_CREDS_MIDDLE}{seed}{_CREDS_END}"


def write_creds(path: str | os.PathLike[str], text: str) -> Path:
    """Write a creds file atomically, 0600 (missing parent dirs are created 0700)."""
    from pathlib import Path

    from pynsc._fs import atomic_write  # tempfile, shutil: only for writing

    target = Path(os.path.expanduser(path))  # "~nosuchuser" stays as it is
    atomic_write(target, text)
    return target


def _blocks(text: str) -> list[str]:
    r"""The tokens of every block in ``text``, in order: a line ending in a run of three or more
    dashes with another such run before it (a block may start mid-line), a line holding only
    the token (ASCII letters, digits and ``_-.=``, Go's ``[\w\-.=]``), then a line that begins
    and ends with such runs. These are the blocks Go's regular expression finds; scanning line
    by line finds them in linear time, where Python's backtracking engine took quadratic time
    on that pattern."""
    if len(text) > MAX_CREDS_SIZE:
        raise CredsError(f"text larger than {MAX_CREDS_SIZE} bytes is no creds file or JWT")
    lines = text.split("\n")
    last = len(lines) - 1  # the last line has no newline after it
    found = []
    index = 0
    while index + 2 <= last:
        if (
            _opens_block(lines[index])
            and _is_token(token := _without_cr(lines[index + 1]))
            and _closes_block(lines[index + 2], at_end=index + 2 == last)
        ):
            found.append(token)
            index += 3
        else:
            index += 1
    return found


def _without_cr(line: str) -> str:
    return line[:-1] if line.endswith("\r") else line


def _opens_block(line: str) -> bool:
    body = _without_cr(line)
    start = body.find("---")
    return start >= 0 and body.endswith("---") and len(body) - start >= 6


def _closes_block(line: str, *, at_end: bool) -> bool:
    body = line if at_end else _without_cr(line)
    return len(body) >= 6 and body.startswith("---") and body.endswith("---")


def parse_decorated_jwt(text: str) -> str:
    """The JWT in a decorated JWT or creds text; the stripped text itself when it has no armor."""
    blocks = _blocks(text)
    if blocks:
        return blocks[0]
    return text.strip()


def parse_decorated_seed(text: str) -> str | None:
    """The seed in a creds or decorated-seed text, or ``None`` when there is none."""
    for block in _blocks(text):
        if _looks_like_seed(block):
            return block
    for line in text.splitlines():
        line = line.strip()
        if _looks_like_seed(line):
            return line
    return None


def _looks_like_seed(text: str) -> bool:
    return len(text) == 58 and text[0] == "S" and text[1] in "OAUNCX"


def parse_creds(text: str) -> Creds:
    """The JWT and seed of a creds file; :class:`CredsError` when either block is missing."""
    blocks = _blocks(text)
    jwt = next((b for b in blocks if b.count(".") == 2), None)
    if jwt is None:
        raise CredsError(
            "creds file has no JWT block",
            hint="a creds file starts with -----BEGIN NATS USER JWT-----",
        )
    seed = parse_decorated_seed(text)
    if seed is None:
        raise CredsError(
            "creds file has no seed block",
            hint="a creds file holds -----BEGIN USER NKEY SEED----- after the JWT",
        )
    pair = from_seed(seed)
    if pair.kind is not KeyKind.USER:
        raise CredsError(f"creds file holds a {pair.kind.value} seed; a user seed is expected")
    return Creds(jwt=jwt, seed=seed)
