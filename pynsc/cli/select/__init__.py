"""``pynsc select``: Set the current operator or account."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "select",
    lazy_subcommands={
        "operator": "pynsc.cli.select.operator:select_operator",
        "account": "pynsc.cli.select.account:select_account",
    },
)
def select_group() -> None:
    """Set the current operator or account."""
