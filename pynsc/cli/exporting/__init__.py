"""``pynsc export``: Export keys."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "export",
    lazy_subcommands={
        "keys": Lazy(
            "pynsc.cli.exporting.keys:export_keys",
            "Export the seeds of the context's keys to a directory.",
        ),
    },
)
def exporting_group() -> None:
    """Export keys."""
