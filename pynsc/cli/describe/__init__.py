"""``pynsc describe``: show operators, accounts, users and JWT files."""

from __future__ import annotations

from pynsc.cli.base import group
from pynsc.cli.options import describe_group_options


@group("describe", lazy_subcommands={
        "jwt": "pynsc.cli.describe.jwt:jwt_command",
        "operator": "pynsc.cli.describe.operator:describe_operator",
        "account": "pynsc.cli.describe.account:describe_account",
        "user": "pynsc.cli.describe.user:describe_user",
    })
@describe_group_options
def describe() -> None:
    """Describe assets such as operators, accounts, users and JWT files."""
