"""``pynsc export``: Export keys."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "export",
    lazy_subcommands={
        "keys": "pynsc.cli.exporting.keys:export_keys",
    },
)
def exporting_group() -> None:
    """Export keys."""
