"""Documentation that must stay true: the command reference is the command tree."""

from __future__ import annotations

from pathlib import Path

from pynsc.cli.reference import render

ROOT = Path(__file__).resolve().parent.parent


def test_cli_reference_is_current() -> None:
    current = (ROOT / "docs" / "cli-reference.md").read_text()
    assert current == render(), (
        "docs/cli-reference.md is stale: run "
        "`.venv/bin/python -m pynsc.cli.reference > docs/cli-reference.md`"
    )


def test_docs_name_every_top_level_command() -> None:
    from pynsc.cli import cli

    cli_doc = (ROOT / "docs" / "cli.md").read_text()
    names = set(cli.lazy_subcommands) - {"create"}
    missing = sorted(n for n in names if f"`pynsc {n}" not in cli_doc)
    assert not missing, f"docs/cli.md does not mention: {missing}"
