"""``pynsc import``: Import accounts, users and keys."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "import",
    lazy_subcommands={
        "account": "pynsc.cli.importing.account:import_account",
        "user": "pynsc.cli.importing.user:import_user",
        "keys": "pynsc.cli.importing.keys:import_keys",
    },
)
def importing_group() -> None:
    """Import accounts, users and keys."""
