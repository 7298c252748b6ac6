"""``pynsc generate``: keys, and (later) creds, activations and server configs."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "generate",
    lazy_subcommands={
        "nkey": "pynsc.cli.generate.nkey:nkey_command",
        "creds": "pynsc.cli.generate.creds:generate_creds",
        "context": "pynsc.cli.generate.context:generate_context",
        "profile": "pynsc.cli.generate.profile:generate_profile",
    },
)
def generate() -> None:
    """Generate keys, creds, activations and configurations."""
