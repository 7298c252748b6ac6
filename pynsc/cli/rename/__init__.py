"""``pynsc rename``: Rename an account."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "rename",
    lazy_subcommands={
        "account": "pynsc.cli.rename.account:rename_account",
    },
)
def rename_group() -> None:
    """Rename an account."""
