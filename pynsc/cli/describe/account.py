"""``pynsc describe account [NAME|KEY]``: show an account JWT of the current operator.

Parses flags and renders; which account is meant is
:func:`pynsc.actions.describe.describe_account`'s rule.
"""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import DescribeView, describe_options, name_option, output_file_option


@command("account", short_help="Describe an account.")
@name_option("account")
@output_file_option
@describe_options
@pass_app
def describe_account(
    app: App,
    *,
    name: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe an account: a table by default; --json the payload, --raw the token,
    --field one value.

    Without a name it describes the current account, or the only one of the operator.
    """
    from pynsc.actions import describe

    # friendly names only matter for the Imports table
    plain = not (view.json or view.raw or view.field)
    result = describe.describe_account(app.nsc, name, names=plain)
    show_jwt(app, result.decoded, view, output_file, names=result.names)
