"""Issue 9, defect 7: an error quoting user input stays on its line (control characters are
escaped where messages are printed), and names that are not valid UTF-8 are refused instead of
being stored with U+FFFD in the JWT and the raw bytes in the file name."""

from __future__ import annotations

from pathlib import Path

import pytest

from pynsc.cli.output import one_line
from pynsc.errors import StoreError
from pynsc.store.layout import check_name
from tests.cli.conftest import Pynsc
from tests.cli.harness import StoreEnv, tree_digest


@pytest.fixture
def env(tmp_path: Path, pynsc: Pynsc) -> StoreEnv:
    home = tmp_path / "nsc"
    home.mkdir()
    return StoreEnv.create(home, pynsc, accounts=("A",))


@pytest.mark.parametrize(
    "args",
    [
        ["describe", "user", "-a", "A", "gh\nost"],
        ["describe", "account", "a\rb"],
        ["add", "user", "-a", "NO\nPE", "x"],
        ["select", "account", "x\x1b[2Jy"],
        ["edit", "user", "-a", "A", "nobody\u2028else"],
        ["add", "user", "--no-such-flag\nsecond-line"],
        ["add", "user", "x", "-K", "no-such\nfile"],
    ],
    ids=["newline", "carriage return", "newline in -a", "escape", "line separator",
         "unknown flag", "-K file"],
)  # fmt: skip
def test_an_error_quoting_input_is_one_line(env: StoreEnv, args: list[str]) -> None:
    before = tree_digest(env.home)
    result = env.run(*args)
    assert result.exit_code != 0
    lines = result.stderr.splitlines()
    assert lines[0].startswith("Error: "), lines
    assert all(line.startswith("Hint: ") for line in lines[1:]), lines
    assert len(lines) <= 2, lines
    assert "\x1b" not in result.stderr
    assert "\r" not in result.stderr
    assert "\u2028" not in result.stderr
    assert tree_digest(env.home) == before


def test_one_line_escapes_as_go_does() -> None:
    assert one_line("plain é ✓ text") == "plain é ✓ text"
    assert one_line("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert one_line("\x1b[31m\x00\x7f\x85") == "\\x1b[31m\\x00\\x7f\\x85"
    assert one_line("\u2028\u202e") == "\\u2028\\u202e"
    assert one_line("\udcff") == "\\xff"  # an undecodable byte of a command line


@pytest.mark.parametrize(
    "name", ["a\udcffb", "\ud800", "x\udc80"], ids=["byte ff", "high surrogate", "byte 80"]
)
def test_names_that_are_not_utf8_are_refused(name: str) -> None:
    with pytest.raises(StoreError, match="is not valid UTF-8"):
        check_name(name, "user")


def test_a_nul_in_a_name_is_refused() -> None:
    with pytest.raises(StoreError, match="NUL"):
        check_name("a\0b", "account")


@pytest.mark.parametrize(
    "args",
    [
        ["add", "user", "-a", "A", "bad\udcffname"],
        ["add", "account", "bad\udcffname"],
        ["add", "operator", "bad\udcffname"],
        ["rename", "account", "A", "bad\udcffname", "--OK"],
    ],
    ids=["user", "account", "operator", "rename"],
)
def test_cli_refuses_names_that_are_not_utf8(env: StoreEnv, args: list[str]) -> None:
    before = tree_digest(env.home)
    result = env.run(*args)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert 'name "bad\\xffname" is not valid UTF-8' in result.stderr
    assert tree_digest(env.home) == before


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["add", "export", "-a", "A", "-s", "bad\udcff.x"], 'subject "bad\\xff.x"'),
        (["add", "user", "-a", "A", "x", "--allow-pub", "p\udcff"], 'subject "p\\xff"'),
        (["add", "user", "-a", "A", "x", "--allow-sub", "s q\udcff"], 'queue "q\\xff"'),
        (["add", "mapping", "-a", "A", "-f", "src", "-t", "dst\udcff"], 'subject "dst\\xff"'),
        (["add", "import", "-a", "A", "--src-account", "A", "--remote-subject", "r\udcff"],
         'subject "r\\xff"'),
    ],
    ids=["export", "allow-pub", "allow-sub queue", "mapping", "import"],
)  # fmt: skip
def test_cli_refuses_subjects_that_are_not_utf8(
    env: StoreEnv, args: list[str], shown: str
) -> None:
    before = tree_digest(env.home)
    result = env.run(*args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert f"{shown} is not valid UTF-8" in result.stderr
    assert tree_digest(env.home) == before


def test_a_name_too_long_for_a_file_name_is_refused(env: StoreEnv) -> None:
    """A 300-byte user name failed half-way with ``unexpected OSError: File name too long``."""
    before = tree_digest(env.home)
    result = env.run("add", "user", "-a", "A", "n" * 300)
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert "user name is too long: 300 bytes in UTF-8, at most 200" in result.stderr
    assert tree_digest(env.home) == before
    assert check_name("é" * 100, "user") == "é" * 100  # 200 bytes: the most there is room for
    with pytest.raises(StoreError, match="201 bytes"):
        check_name("é" * 100 + "x", "user")


@pytest.mark.parametrize(
    "args",
    [
        ["describe", "account", "A" * 300],
        ["describe", "user", "-a", "A", "u" * 300],
        ["add", "user", "-a", "A" * 300, "x"],
        ["generate", "activation", "-a", "A", "-s", "p.>", "-t", "A" * 300],
    ],
    ids=["describe account", "describe user", "add user -a", "generate activation -t"],
)
def test_looking_up_a_name_too_long_for_a_file_is_not_found(
    env: StoreEnv, args: list[str]
) -> None:
    """Looking such a name up raised ``OSError: File name too long``."""
    env.add_export("A", "p.>", private=True)
    result = env.run(*args)
    assert result.exit_code in (1, 2), (result.stdout, result.stderr)
    assert "unexpected" not in result.stderr
    assert "File name too long" not in result.stderr
