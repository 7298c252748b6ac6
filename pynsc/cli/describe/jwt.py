"""``pynsc describe jwt -f FILE|URL|-``: describe a JWT, decorated JWT or creds file.

Reads the source, then :func:`pynsc.actions.describe.describe_jwt` decodes and verifies it.
"""

from __future__ import annotations

import click

from pynsc.actions.describe import describe_jwt
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.describe._show import show_jwt
from pynsc.cli.options import DescribeView, describe_options, output_file_option
from pynsc.sources import read_source


@command("jwt", short_help="Describe a JWT, decorated JWT or creds file.")
@click.option(
    "-f", "--file", "source", metavar="FILE|URL|-",
    help="The token: a file, an http(s) URL, or - for stdin.",
)
@output_file_option
@describe_options
@pass_app
def jwt_command(
    app: App, *, source: str | None, output_file: str | None, view: DescribeView
) -> None:
    """Describe a JWT, a decorated JWT or a creds file, verifying its signature.

    Shows a table by default; --json the payload, --raw the token, --field one value.
    """
    if not source:
        raise click.UsageError("file is required (-f FILE, a URL, or - for stdin)")
    show_jwt(app, describe_jwt(read_source(source)).decoded, view, output_file)
