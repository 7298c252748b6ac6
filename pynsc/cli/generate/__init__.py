"""``pynsc generate``: keys, and (later) creds, activations and server configs."""

from __future__ import annotations

from pynsc.cli.base import group


@group("generate", lazy_subcommands={"nkey": "pynsc.cli.generate.nkey:nkey_command"})
def generate() -> None:
    """Generate keys, creds, activations and configurations."""
