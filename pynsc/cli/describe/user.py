"""``pynsc describe user [NAME|KEY]``: show a user JWT of an account.

Parses flags and renders; which user is meant is :func:`pynsc.actions.describe.describe_user`'s
rule.
"""

from __future__ import annotations

from pynsc.actions import describe
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import (
    DescribeView,
    account_option,
    describe_options,
    name_option,
    output_file_option,
)
from pynsc.cli.render import describe_scope


@command("user", short_help="Describe a user.")
@name_option("user")
@account_option
@output_file_option
@describe_options
@pass_app
def describe_user(
    app: App,
    *,
    name: str | None,
    account: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe a user of the current (or -a) account, by name or public key.

    Without a name, the account's only user. A user issued by a scoped signing key is
    followed by the scope's table. --json shows the payload, --raw the token, --field one value.
    """
    result = describe.describe_user(app.nsc, name, account=account)
    extra = [describe_scope(result.scope)] if result.scope is not None else []
    show_jwt(app, result.decoded, view, output_file, extra=extra)
