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
        "activation": "pynsc.cli.generate.activation:generate_activation",
        "config": "pynsc.cli.generate.config:generate_config",
    },
)
def generate() -> None:
    """Generate keys, creds, activations and configurations."""
