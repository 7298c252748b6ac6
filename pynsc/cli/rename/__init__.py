"""``pynsc rename``: Rename an account."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "rename",
    lazy_subcommands={
        "account": Lazy(
            "pynsc.cli.rename.account:rename_account", "Rename an account (re-issues its JWT)."
        ),
    },
)
def rename_group() -> None:
    """Rename an account."""
