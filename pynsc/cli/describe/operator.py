"""``pynsc describe operator [NAME|KEY]``: show an operator JWT.

By name (or public key) it needs no current operator: any operator of the store root will do.
Parses flags and renders; which operator is meant is
:func:`pynsc.actions.describe.describe_operator`'s rule.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import DescribeView, describe_options, output_file_option


@command("operator", short_help="Describe an operator.")
@click.argument("operator", metavar="[NAME|KEY]", required=False)
@click.option("-n", "--name", "name", metavar="NAME|KEY", help="The operator (name or public key).")
@output_file_option
@describe_options
@pass_app
def describe_operator(
    app: App,
    *,
    operator: str | None,
    name: str | None,
    output_file: str | None,
    view: DescribeView,
) -> None:
    """Describe an operator: a table by default; --json the payload, --raw the token,
    --field one value.

    Without a name it describes the current operator.
    """
    from pynsc.actions import describe

    plain = not (view.json or view.raw or view.field)
    result = describe.describe_operator(app.nsc, name or operator, names=plain)
    show_jwt(app, result.decoded, view, output_file, names=result.names)
