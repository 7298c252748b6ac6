"""Startup stays light and the library layers stay free of the CLI (checked in fresh processes).

Issue 11 (start-up is pynsc's speed): which modules a run imports is pinned here, as module sets
(never timings), running the console script's own entry point, ``pynsc.cli.main``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import pynsc
from tests.conftest import ROOT

HEAVY = ("nats", "requests", "asyncio", "yaml")

# What the console script does (``sys.exit(main())``), reporting on stderr, last, the modules
# the run added to those of the bare interpreter.
_ENTRY = r"""
import sys
before = set(sys.modules)
sys.argv[0] = "pynsc"
try:
    from pynsc.cli import main
    sys.exit(main())
finally:
    sys.stderr.write("\n@modules " + " ".join(sorted(set(sys.modules) - before)) + "\n")
"""


def _pynsc(*args: str) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``pynsc ARGS`` in a fresh interpreter: the result (stderr without the report) and
    the modules the run imported."""
    env = {k: v for k, v in os.environ.items() if k != "_PYNSC_COMPLETE"}
    result = subprocess.run(
        [sys.executable, "-c", _ENTRY, *args],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    stderr, marker, report = result.stderr.rpartition("\n@modules ")
    assert marker, result.stderr
    result.stderr = stderr
    return result, set(report.split())


def _loaded(modules: set[str], *names: str) -> list[str]:
    """The ``names`` (packages and their submodules) among ``modules``."""
    return sorted(m for m in modules if m.split(".")[0] in names or m.startswith(names))


@pytest.mark.parametrize("flag", ["--version", "-v"])
def test_version_imports_only_pynsc_and_pynsc_cli(flag: str) -> None:
    result, modules = _pynsc(flag)
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"pynsc version {pynsc.__version__}\n"
    assert result.stderr == ""
    # no click, no pynsc.claims, not even typing: only the two packages on the way to main()
    assert modules == {"pynsc", "pynsc.cli"}


def test_version_into_a_closed_pipe_exits_one_quietly() -> None:
    """As click ends any run whose stdout is gone: exit 1, nothing on stderr."""
    read, write = os.pipe()
    os.close(read)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "pynsc.cli", "--version"],
            cwd=ROOT, stdout=write, stderr=subprocess.PIPE, text=True, check=False,
        )  # fmt: skip
    finally:
        os.close(write)
    assert (result.returncode, result.stderr) == (1, "")


def test_version_with_other_words_is_still_clicks() -> None:
    result, modules = _pynsc("--version", "add")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"pynsc version {pynsc.__version__}\n"
    assert "click" in modules


# What ``pynsc --help`` and a group's ``--help`` may load of pynsc: the root and its base, the
# group's own package, and the shared options (tool, push and pull: the connection flags too).
_HELP_CORE = {
    "pynsc", "pynsc.cli", "pynsc.cli.root", "pynsc.cli.base", "pynsc.cli.app",
    "pynsc.cli.options", "pynsc.errors",
}  # fmt: skip
_NOT_FOR_HELP = (*HEAVY, "rich", "nacl", "nkeys", "pynsc.claims", "pynsc.store", "pynsc.keys",
                 "pynsc.actions", "pynsc.push")  # fmt: skip


@pytest.mark.parametrize(
    ("args", "package"),
    [
        (["--help"], None),
        (["-h"], None),
        (["add", "--help"], "pynsc.cli.add"),
        (["describe", "--help"], "pynsc.cli.describe"),
        (["list", "--help"], "pynsc.cli.listing"),
        (["revocations", "--help"], "pynsc.cli.revocations"),
        (["generate", "--help"], "pynsc.cli.generate"),
    ],
)
def test_help_imports_no_subcommand(args: list[str], package: str | None) -> None:
    result, modules = _pynsc(*args)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: pynsc")
    assert _loaded(modules, *_NOT_FOR_HELP) == []
    expected = _HELP_CORE | ({package} if package else set())
    assert {m for m in modules if m.startswith("pynsc")} == expected


def test_every_group_help_imports_nothing_heavy() -> None:
    from pynsc.cli.root import _GROUPS

    for name, entry in _GROUPS.items():
        if entry.hidden:
            continue
        result, modules = _pynsc(name, "--help")
        assert result.returncode == 0, (name, result.stderr)
        if entry.help is not None:  # a group (its summary comes from its help): no leaf loaded
            assert _loaded(modules, *_NOT_FOR_HELP) == [], name


def test_describe_jwt_imports_no_network_or_terminal_library(tmp_path: Path) -> None:
    from pynsc import keys

    account = keys.generate("account")
    assert account.seed is not None
    creds = pynsc.Issuer.from_seed(account.seed).issue_user("u", bearer=True)
    path = tmp_path / "u.creds"
    path.write_text(creds.text)
    result, modules = _pynsc("describe", "jwt", "-f", str(path))
    assert result.returncode == 0, result.stderr
    assert creds.public_key in result.stdout
    assert _loaded(modules, *HEAVY, "rich", "ssl", "pynsc.push") == []


_OTHER_CLAIMS = tuple(
    f"pynsc.claims.{name}"
    for name in ("account", "activation", "authorization", "operator", "validation", "subjects")
)


@pytest.mark.parametrize("view", [[], ["-J"], ["-R"], ["-F", "sub"], ["-JW"]])
def test_describe_jwt_of_a_user_loads_only_user_claims(tmp_path: Path, view: list[str]) -> None:
    """A user JWT loads the user model alone (``pynsc.claims`` is lazy), and short options
    are parsed without building click's "no such option" error (difflib) for each."""
    from pynsc import keys

    account = keys.generate("account")
    assert account.seed is not None
    creds = pynsc.Issuer.from_seed(account.seed).issue_user("u")
    path = tmp_path / "u.creds"
    path.write_text(creds.text)
    result, modules = _pynsc("describe", "jwt", "-f", str(path), *view)
    assert result.returncode == 0, result.stderr
    assert "pynsc.claims.user" in modules
    assert _loaded(modules, *_OTHER_CLAIMS, "difflib", "pynsc.store") == []


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_help_imports_nothing_heavy() -> None:
    result = _run(
        f"""
        import sys
        import pynsc.cli
        for args in (["--help"], ["--version"], ["describe", "--help"], ["generate", "--help"],
                     ["generate", "nkey", "--help"], ["describe", "jwt", "--help"]):
            code = pynsc.cli.cli.main(args, prog_name="pynsc", standalone_mode=False)
            assert code in (0, None), (args, code)
        heavy = sorted(m for m in {HEAVY!r} if m in sys.modules)
        assert not heavy, heavy
        """
    )
    assert result.returncode == 0, result.stderr
    assert "Usage: pynsc" in result.stdout


def test_import_cli_imports_nothing_heavy() -> None:
    result = _run(
        f"""
        import sys
        import pynsc.cli
        heavy = sorted(
            m for m in {HEAVY!r} + ("rich", "pynsc.claims", "nacl", "click") if m in sys.modules
        )
        assert not heavy, heavy
        from pynsc.cli import cli  # the root group, imported on first use
        assert cli.name == "pynsc"
        """
    )
    assert result.returncode == 0, result.stderr


def test_library_layers_import_neither_click_nor_rich() -> None:
    result = _run(
        """
        import sys
        import pynsc, pynsc.errors, pynsc.paths, pynsc.keys, pynsc.claims
        import pynsc.store, pynsc.store.ops, pynsc.store.serverconfig, pynsc.push.http
        leaked = sorted(
            m for m in ("click", "rich", "pynsc.cli", "requests", "nats") if m in sys.modules
        )
        assert not leaked, leaked
        """
    )
    assert result.returncode == 0, result.stderr


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "pynsc.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.stdout.startswith("pynsc version ")
    assert result.returncode == 0, result.stderr
