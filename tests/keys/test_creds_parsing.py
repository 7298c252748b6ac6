"""Reading creds and decorated JWTs in linear time (issue 9, defect 3).

``"-----BEGIN" * 4000`` took 16 s in ``parse_creds`` (Python's regular expression engine
backtracked on the block pattern), and a 50 KB file 21 s in ``describe jwt -f`` and 44 s in
``import user --file``. The line scanner finds the same blocks as the pattern did, with Go's
ASCII ``\\w``; the timing bounds below are two orders of magnitude under the old times.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pynsc import keys
from pynsc.errors import CredsError, NscError
from pynsc.keys.creds import MAX_CREDS_SIZE, _blocks
from tests.cli.conftest import Pynsc

# The pattern pynsc used (Go's reader), with \w restricted to ASCII as Go's is: the reference
# for which blocks a text holds.
REFERENCE = re.compile(
    r"\s*(?:-{3,}[^\n]*-{3,}\r?\n)([A-Za-z0-9_\-.=]+)(?:\r?\n-{3,}[^\n]*-{3,}(?:\r?\n|\Z))"
)
PIECES = [
    "-", "---", "------", "\n", "\r", "\r\n", "a", "e.y", ".", "=", " ", "\t", "\u00e9", "BEGIN",
    "-----BEGIN NATS USER JWT-----\n", "------END NATS USER JWT------\n",
]  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=30).map("".join))
def test_the_scanner_finds_the_blocks_the_pattern_finds(text: str) -> None:
    assert _blocks(text) == REFERENCE.findall(text)


def test_go_creds_layouts_are_read() -> None:
    user = keys.generate("user")
    text = keys.format_creds("aa.bb.cc", user.require_seed())
    assert keys.parse_creds(text) == keys.Creds("aa.bb.cc", user.require_seed())
    crlf = text.replace("\n", "\r\n")
    assert keys.parse_creds(crlf) == keys.Creds("aa.bb.cc", user.require_seed())
    assert keys.parse_decorated_jwt("junk -----BEGIN X-----\nt.o.k\n------END------") == "t.o.k"


@pytest.mark.parametrize(
    "text",
    [
        "-----BEGIN" * 4000,
        "-----BEGIN\n" * 4000,
        "------\n" * 8000,
        "------\nx\n" * 8000,
        "---" + "-" * 40000,
        "- " * 40000,
    ],
    ids=["BEGIN", "BEGIN lines", "dash lines", "dash and token lines", "one dash run", "dashes"],
)
def test_adversarial_creds_text_is_read_fast(text: str) -> None:
    started = time.perf_counter()
    for read in (keys.parse_decorated_jwt, keys.parse_decorated_seed):
        read(text)
    with pytest.raises(CredsError):
        keys.parse_creds(text)
    assert time.perf_counter() - started < 0.5


def test_text_larger_than_any_creds_file_is_refused() -> None:
    text = "x" * (MAX_CREDS_SIZE + 1)
    for read in (keys.parse_creds, keys.parse_decorated_jwt, keys.parse_decorated_seed):
        with pytest.raises(CredsError, match="larger than"):
            read(text)


@pytest.mark.parametrize(
    "command",
    [["describe", "jwt", "-f"], ["import", "user", "--file"]],
    ids=["describe jwt", "import user"],
)
def test_the_cli_reads_a_50kb_adversarial_file_fast(
    tmp_path: Path, command: list[str]
) -> None:
    path = tmp_path / "bad.creds"
    path.write_text("-----BEGIN" * 5000)  # 50 KB
    started = time.perf_counter()
    result = Pynsc()("-H", str(tmp_path / "home"), *command, str(path))
    assert result.exit_code != 0
    assert "Traceback" not in result.stderr
    assert time.perf_counter() - started < 2.0


def test_creds_errors_are_nsc_errors() -> None:
    assert issubclass(CredsError, NscError)
