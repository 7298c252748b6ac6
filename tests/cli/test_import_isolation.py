"""Startup stays light and the library layers stay free of the CLI (checked in fresh processes)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tests.conftest import ROOT

HEAVY = ("nats", "requests", "asyncio", "yaml")


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
        heavy = sorted(m for m in {HEAVY!r} + ("rich", "pynsc.claims", "nacl") if m in sys.modules)
        assert not heavy, heavy
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
