"""``pynsc import``: Import accounts, users and keys."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "import",
    lazy_subcommands={
        "account": Lazy(
            "pynsc.cli.importing.account:import_account",
            "Import an account JWT, re-signing it if self-signed.",
        ),
        "user": Lazy("pynsc.cli.importing.user:import_user", "Import a user JWT or creds file."),
        "keys": Lazy(
            "pynsc.cli.importing.keys:import_keys", "Import the seeds (.nk files) of a directory."
        ),
    },
)
def importing_group() -> None:
    """Import accounts, users and keys."""
