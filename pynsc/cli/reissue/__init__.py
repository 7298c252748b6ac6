"""``pynsc reissue``: Re-issue an operator with a new identity key."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group


@group(
    "reissue",
    lazy_subcommands={
        "operator": Lazy(
            "pynsc.cli.reissue.operator:reissue_operator",
            "Re-issue the operator with a new identity key.",
        ),
    },
)
def reissue_group() -> None:
    """Re-issue an operator with a new identity key."""
