"""``pynsc generate``: keys, and (later) creds, activations and server configs."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "generate",
    lazy_subcommands={
        "nkey": Lazy(
            "pynsc.cli.generate.nkey:nkey_command",
            "Generate operator, account, user or curve nkeys.",
        ),
        "creds": Lazy(
            "pynsc.cli.generate.creds:generate_creds", "Generate a creds file for a user."
        ),
        "context": Lazy(
            "pynsc.cli.generate.context:generate_context", "Generate a nats CLI context for a user."
        ),
        "profile": Lazy(
            "pynsc.cli.generate.profile:generate_profile",
            "Generate a profile from an nsc:// URL, for tooling.",
        ),
        "activation": Lazy(
            "pynsc.cli.generate.activation:generate_activation",
            "Generate an activation token for a private export.",
        ),
        "config": Lazy(
            "pynsc.cli.generate.config:generate_config",
            "Generate a nats-server configuration for the operator.",
        ),
    },
)
def generate() -> None:
    """Generate keys, creds, activations and configurations."""
