"""``pynsc reissue``: Re-issue an operator with a new identity key."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "reissue",
    lazy_subcommands={
        "operator": "pynsc.cli.reissue.operator:reissue_operator",
    },
)
def reissue_group() -> None:
    """Re-issue an operator with a new identity key."""
