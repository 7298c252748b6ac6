"""``pynsc select``: Set the current operator or account."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "select",
    lazy_subcommands={
        "operator": Lazy("pynsc.cli.select.operator:select_operator", "Set the current operator."),
        "account": Lazy("pynsc.cli.select.account:select_account", "Set the current account."),
    },
)
def select_group() -> None:
    """Set the current operator or account."""
