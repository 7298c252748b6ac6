"""``pynsc describe``: show operators, accounts, users and JWT files."""

from __future__ import annotations

from pynsc.cli.base import Lazy, group
from pynsc.cli.options import describe_group_options


@group("describe", lazy_subcommands={
        "jwt": Lazy(
            "pynsc.cli.describe.jwt:jwt_command", "Describe a JWT, decorated JWT or creds file."
        ),
        "operator": Lazy("pynsc.cli.describe.operator:describe_operator", "Describe an operator."),
        "account": Lazy("pynsc.cli.describe.account:describe_account", "Describe an account."),
        "user": Lazy("pynsc.cli.describe.user:describe_user", "Describe a user."),
    })
@describe_group_options
def describe() -> None:
    """Describe assets such as operators, accounts, users and JWT files."""
