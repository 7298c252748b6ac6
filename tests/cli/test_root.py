"""The root group: version, help, global flags, and how every error reaches the user."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from pynsc import __version__
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import NscGroup, RootGroup, command
from pynsc.errors import InvalidKeyError, NscError
from tests.cli.conftest import Pynsc, assert_one_error


def test_version(pynsc: Pynsc) -> None:
    for flag in ("--version", "-v"):
        result = pynsc(flag)
        assert result.exit_code == 0
        assert result.stdout == f"pynsc version {__version__}\n"
        assert result.stderr == ""


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help(pynsc: Pynsc, flag: str) -> None:
    result = pynsc(flag)
    assert result.exit_code == 0
    for text in ("describe", "generate", "--keystore-dir", "--all-dirs", "--debug", "--version"):
        assert text in result.stdout


def test_leaf_help_lists_global_options_apart(pynsc: Pynsc) -> None:
    result = pynsc("generate", "nkey", "-h")
    assert result.exit_code == 0
    options, _, shared = result.stdout.partition("Global options:")
    assert "--store" in options
    assert "--keystore-dir" not in options
    assert "--keystore-dir" in shared
    assert "--private-key" in shared


def test_group_help(pynsc: Pynsc) -> None:
    result = pynsc("describe", "--help")
    assert result.exit_code == 0
    assert "jwt" in result.stdout


def test_no_subcommand_shows_usage(pynsc: Pynsc) -> None:
    result = pynsc()
    assert result.exit_code in (0, 2)
    assert "Usage:" in result.stdout + result.stderr


def test_unknown_command(pynsc: Pynsc) -> None:
    result = pynsc("frobnicate")
    assert result.exit_code == 2
    assert "No such command" in result.stderr


def test_unknown_global_flag(pynsc: Pynsc) -> None:
    assert pynsc("--bogus", "generate", "nkey", "-u").exit_code == 2


# A private tree exercising the machinery --------------------------------------------------------


class ExitThree(NscError):
    exit_code = 3


@command("show")
@pass_app
def show(app: App) -> None:
    app.output.data(f"debug={app.debug} key={app.private_key} interactive={app.interactive}")
    app.output.data(f"config={app.paths.config_dir} data={app.paths.data_dir}")
    app.output.data(f"keys={app.paths.keystore_dir} forced={app.paths.data_dir_forced}")


@command("fail")
@click.argument("kind")
@pass_app
def fail(app: App, kind: str) -> None:
    app.output.status("working")
    if kind == "nsc":
        raise InvalidKeyError("bad key", hint="check the key")
    if kind == "three":
        raise ExitThree("exit three")
    if kind == "value":
        raise ValueError("boom")
    if kind == "interrupt":
        raise KeyboardInterrupt
    if kind == "usage":
        raise click.UsageError("bad usage")


@click.group("t", cls=RootGroup)
def tree() -> None:
    """A test tree."""


@tree.group("sub", cls=NscGroup)
def sub() -> None:
    """A nested group."""


tree.add_command(show)
tree.add_command(fail)
sub.add_command(show)


@pytest.fixture
def t() -> Pynsc:
    return Pynsc(tree)


def _show(t: Pynsc, *args: str) -> dict[str, str]:
    result = t(*args)
    assert result.exit_code == 0, result.stderr
    return dict(item.split("=", 1) for item in result.stdout.split())


@pytest.mark.parametrize(
    "args",
    [
        ["--debug", "-K", "SEED", "-i", "show"],
        ["show", "--debug", "-K", "SEED", "-i"],
        ["-i", "show", "--private-key", "SEED", "--debug"],
        ["sub", "--debug", "show", "-K", "SEED", "--interactive"],
    ],
)
def test_global_flags_before_or_after(t: Pynsc, args: list[str]) -> None:
    values = _show(t, *args)
    assert values["debug"] == "True"
    assert values["key"] == "SEED"
    assert values["interactive"] == "True"


def test_global_flags_default(t: Pynsc) -> None:
    values = _show(t, "show")
    assert values["debug"] == "False"
    assert values["key"] == "None"
    assert values["interactive"] == "False"
    assert values["forced"] == "False"


def test_dirs_before_and_after(t: Pynsc) -> None:
    values = _show(t, "-H", "/all", "show", "--data-dir", "/data")
    assert values["config"] == "/all"
    assert values["data"] == "/data"
    assert values["keys"] == "/all"
    assert values["forced"] == "True"


def test_debug_from_environment(t: Pynsc, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYNSC_DEBUG", "1")
    assert _show(t, "show")["debug"] == "True"
    monkeypatch.setenv("PYNSC_DEBUG", "0")
    assert _show(t, "show")["debug"] == "False"


def test_nsc_error(t: Pynsc) -> None:
    result = t("fail", "nsc")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["working", "Error: bad key", "Hint: check the key"]


def test_nsc_error_exit_code(t: Pynsc) -> None:
    result = t("fail", "three")
    assert result.exit_code == 3
    assert result.stderr.splitlines()[-1] == "Error: exit three"


def test_unexpected_error_is_one_line(t: Pynsc) -> None:
    result = t("fail", "value")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[1] == "Error: unexpected ValueError: boom"
    assert lines[2].startswith("Hint: ")
    assert "--debug" in lines[2]
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("where", ["before", "after", "env"])
def test_debug_shows_the_traceback(
    t: Pynsc, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    args = ["fail", "value"]
    if where == "before":
        args.insert(0, "--debug")
    elif where == "after":
        args.append("--debug")
    else:
        monkeypatch.setenv("PYNSC_DEBUG", "1")
    result = t(*args)
    assert result.exit_code == 1
    assert "Traceback (most recent call last)" in result.stderr
    assert 'raise ValueError("boom")' in result.stderr
    assert result.stderr.splitlines()[-1] == "Error: unexpected ValueError: boom"


def test_debug_traceback_for_nsc_error(t: Pynsc) -> None:
    result = t("--debug", "fail", "nsc")
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert "Error: bad key" in result.stderr


def test_keyboard_interrupt(t: Pynsc) -> None:
    result = t("fail", "interrupt")
    assert result.exit_code == 130
    assert "Traceback" not in result.stderr


def test_usage_error_keeps_exit_two(t: Pynsc) -> None:
    result = t("fail", "usage")
    assert result.exit_code == 2
    assert "Error: bad usage" in result.stderr


def test_real_command_error(pynsc: Pynsc) -> None:
    assert_one_error(pynsc("describe", "jwt", "-f", "/no/such/file.jwt"))


def test_lazy_target_must_be_an_nsc_command() -> None:
    group = NscGroup("g", lazy_subcommands={"x": "click:Command"})
    with pytest.raises(TypeError, match="must be made with"):
        group.get_command(click.Context(group), "x")


def test_failure_in_json_mode_is_a_report_on_stdout(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pynsc.cli import cli

    result = CliRunner().invoke(cli, ["-H", str(tmp_path), "add", "account", "A", "--json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {
        "ok": False,
        "messages": [{"level": "error", "text": "set an operator -- 'pynsc env -o operatorName'"}],
        "data": None,
    }
    assert result.stderr.startswith("Error: set an operator")


def test_old_keystore_layout_must_be_migrated_first(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from pynsc.cli import cli

    (tmp_path / "O").mkdir()
    (tmp_path / "O" / "O.nk").write_text("SO...")
    result = CliRunner().invoke(cli, ["--keystore-dir", str(tmp_path), "list", "keys"])
    assert result.exit_code == 1
    assert "needs migration" in result.stderr
    assert "pynsc keys migrate" in result.stderr


@pytest.mark.parametrize(
    ("args", "message", "hint"),
    [
        (["--bogus"], "Error: No such option '--bogus'.", "Hint: see 'pynsc --help'"),
        (["bogus"], "Error: No such command 'bogus'.", "Hint: see 'pynsc --help'"),
        (
            ["describe", "jwt"],
            "Error: file is required (-f FILE, a URL, or - for stdin)",
            "Hint: see 'pynsc describe jwt --help'",
        ),
    ],
)
def test_usage_errors_are_one_line_and_a_hint(args: list[str], message: str, hint: str) -> None:
    from click.testing import CliRunner

    from pynsc.cli import cli

    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [message, hint]
