"""``pynsc help [COMMAND...]`` and ``pynsc completion bash|zsh|fish`` (issue 10 item 8)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.cli.conftest import Pynsc


@pytest.mark.parametrize("words", [(), ("add",), ("add", "user"), ("push",), ("generate", "nkey")])
def test_help_prints_the_commands_help_on_stdout(pynsc: Pynsc, words: tuple[str, ...]) -> None:
    result = pynsc("help", *words)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == pynsc(*words, "--help").stdout
    assert result.stderr == ""


def test_help_of_an_unknown_topic_is_a_usage_error(pynsc: Pynsc) -> None:
    result = pynsc("help", "add", "nope")
    assert result.exit_code == 2
    assert "unknown help topic 'add nope'" in result.stderr


def test_help_is_listed(pynsc: Pynsc) -> None:
    listing = pynsc("--help").stdout
    assert "help" in listing
    assert "completion" in listing


@pytest.mark.parametrize(("shell", "marker"), [
    ("bash", "_pynsc_completion()"), ("zsh", "#compdef pynsc"), ("fish", "function _pynsc"),
])  # fmt: skip
def test_completion_scripts(pynsc: Pynsc, shell: str, marker: str) -> None:
    result = pynsc("completion", shell)
    assert result.exit_code == 0, result.stderr
    assert marker in result.stdout
    assert "_PYNSC_COMPLETE" in result.stdout


def test_completion_of_an_unknown_shell_fails(pynsc: Pynsc) -> None:
    assert pynsc("completion", "tcsh").exit_code == 2


def _complete(*words: str) -> list[str]:
    env = {**os.environ, "_PYNSC_COMPLETE": "bash_complete",
           "COMP_WORDS": " ".join(("pynsc", *words)), "COMP_CWORD": str(len(words))}
    out = subprocess.run(
        [sys.executable, "-m", "pynsc.cli"], env=env, capture_output=True, text=True, check=True
    ).stdout
    return [line.split(",", 1)[1] for line in out.splitlines()]


def test_the_completion_script_completes_commands_and_flags() -> None:
    assert "add" in _complete("ad")
    assert _complete("add", "us") == ["user"]
    assert "--bearer" in _complete("add", "user", "--bea")


@pytest.mark.parametrize(("args", "question"), [
    (("add", "operator", "-i"), "operator name"),
    (("init", "-i"), "enter a configuration directory"),
])  # fmt: skip
def test_interactive_without_a_terminal_is_one_error(
    tmp_path: object, args: tuple[str, ...], question: str
) -> None:
    """Issue 10 item 13: ``-i </dev/null`` fails with one Error line and a hint, not Aborted!"""
    result = subprocess.run(
        [sys.executable, "-m", "pynsc.cli", "-H", str(tmp_path), *args],
        stdin=subprocess.DEVNULL, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert lines[0] == f"Error: -i needs a terminal to ask {question!r}, and stdin is not one"
    assert lines[1].startswith("Hint: give the answer with")
    assert "Aborted" not in result.stderr


def test_generate_config_help_names_only_options_it_lists(pynsc: Pynsc) -> None:
    """Issue 10 item 15: the hidden --dir is not mentioned in the help."""
    assert "--dir " not in pynsc("generate", "config", "--help").stdout
