"""``pynsc help [COMMAND...]`` and ``pynsc completion bash|zsh|fish`` (issue 10 item 8)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import click
import pytest

from pynsc.cli import cli
from pynsc.cli.base import Lazy, NscContext, NscGroup, _terminal_columns
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


# Issue 11: help and completion list subcommands from the groups' Lazy entries, importing none.


def _groups() -> list[tuple[str, NscGroup, click.Context]]:
    """Every group of the tree, with a context for it."""
    found: list[tuple[str, NscGroup, click.Context]] = []

    def walk(group: NscGroup, ctx: click.Context) -> None:
        found.append((ctx.command_path, group, ctx))
        for name in group.list_commands(ctx):
            sub = group.get_command(ctx, name)
            if isinstance(sub, NscGroup):
                walk(sub, click.Context(sub, info_name=name, parent=ctx))

    walk(cli, click.Context(cli, info_name="pynsc"))
    return found


def test_every_lazy_entry_lists_what_its_command_reports() -> None:
    """A Lazy entry's short help and hidden flag are its command's, at every width."""
    checked = 0
    for path, group, ctx in _groups():
        for name, entry in group.lazy_subcommands.items():
            assert isinstance(entry, Lazy), f"{path} {name}: a bare target would be imported"
            command = group.get_command(ctx, name)
            assert command is not None
            assert not command.deprecated
            assert entry.hidden == command.hidden, f"{path} {name}"
            for limit in (*range(0, 90), 45, 1000):
                assert entry.get_short_help_str(limit) == command.get_short_help_str(limit), (
                    f"{path} {name} at {limit}: the Lazy entry no longer matches the command"
                )
            checked += 1
    assert checked > 90


def test_lazy_entries_name_commands_that_exist() -> None:
    from pynsc.cli.root import _GROUPS

    assert set(_GROUPS) == set(cli.list_commands(click.Context(cli)))
    assert [name for name, entry in _GROUPS.items() if entry.hidden] == [
        "pub", "reply", "req", "rtt", "sub",
    ]  # fmt: skip


@pytest.mark.parametrize("incomplete", ["", "a", "list", "r", "x"])
def test_completion_of_subcommands_is_clicks(incomplete: str) -> None:
    """NscGroup.shell_complete (from the entries) gives what click's own gives (importing)."""
    for path, group, ctx in _groups():
        ours = [(c.value, c.help) for c in group.shell_complete(ctx, incomplete)]
        clicks = [(c.value, c.help) for c in click.Group.shell_complete(group, ctx, incomplete)]
        assert ours == clicks, path


@pytest.mark.parametrize("columns", [None, "", "abc", "-3", "0", "40", "79", "100", "300"])
def test_help_width_is_clicks(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> None:
    """The help's width is worked out as click does (without importing shutil)."""
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    assert _terminal_columns() == shutil.get_terminal_size().columns
    ctx = NscContext(cli, info_name="pynsc")
    assert ctx.make_formatter().width == click.Context(cli).make_formatter().width
    ctx = NscContext(cli, info_name="pynsc", max_content_width=120, terminal_width=None)
    wide = click.Context(cli, max_content_width=120)
    assert ctx.make_formatter().width == wide.make_formatter().width
