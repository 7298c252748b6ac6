"""``pynsc delete``: Delete accounts and users."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "delete",
    lazy_subcommands={
        "account": "pynsc.cli.delete.account:delete_account",
        "user": "pynsc.cli.delete.user:delete_user",
    },
)
def delete_group() -> None:
    """Delete accounts and users."""
