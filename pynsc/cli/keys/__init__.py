"""``pynsc keys``: Manage the keystore."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "keys",
    lazy_subcommands={
        "migrate": "pynsc.cli.keys.migrate:keys_migrate",
    },
)
def keys_group() -> None:
    """Manage the keystore."""
