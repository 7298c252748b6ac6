"""CLI test helpers: a runner for the ``pynsc`` root group and checks of what errors look like."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result

from pynsc.cli import cli

GOLDEN_DIR = Path(__file__).resolve().parent / "golden"


class Pynsc:
    """Run ``pynsc ARGS...`` in-process; exceptions propagate (``catch_exceptions=False``)."""

    def __init__(self, command: click.Command = cli) -> None:
        self.command = command
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None) -> Result:
        return self.runner.invoke(self.command, list(args), input=input, catch_exceptions=False)


@pytest.fixture
def pynsc() -> Pynsc:
    return Pynsc()


def assert_one_error(result: Result, *, exit_code: int = 1, contains: str = "") -> str:
    """The run failed with one ``Error:`` line on stderr (and at most a ``Hint:`` line)."""
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    lines = result.stderr.splitlines()
    assert lines, "nothing on stderr"
    assert lines[0].startswith("Error: "), lines
    assert all(line.startswith("Hint: ") for line in lines[1:]), lines
    assert len(lines) <= 2, lines
    assert "Traceback" not in result.stderr
    assert result.stdout == ""
    assert contains in lines[0], lines
    return lines[0]


def stdout_lines(result: Result) -> Sequence[str]:
    assert result.exit_code == 0, (result.stdout, result.stderr)
    return result.stdout.splitlines()


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Questions of ``-i`` are answered from the runner's input, as if stdin were a terminal."""
    monkeypatch.setattr("pynsc.cli.prompts.stdin_is_terminal", lambda: True)
