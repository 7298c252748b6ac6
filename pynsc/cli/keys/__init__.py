"""``pynsc keys``: Manage the keystore."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "keys",
    lazy_subcommands={
        "migrate": Lazy(
            "pynsc.cli.keys.migrate:keys_migrate",
            "Migrate a pre-2.0 keystore to the current layout.",
        ),
    },
)
def keys_group() -> None:
    """Manage the keystore."""
