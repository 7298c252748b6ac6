"""``pynsc generate creds``: print (or write) a user's creds file from its JWT and stored seed.

Parses flags and renders; the rules are :func:`pynsc.actions.creds.generate_creds`'.
"""

from __future__ import annotations

import click

from pynsc.actions.creds import generate_creds as user_creds
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option, output_file_option

STDOUT = ("--", "-")


@command("creds", short_help="Generate a creds file for a user.")
@click.option("-n", "--name", "name", metavar="NAME|KEY",
              help="The user (default: the account's only user).")
@output_file_option
@account_option
@json_option
@pass_app
def generate_creds(
    app: App, *, name: str | None, output_file: str | None, account: str | None, as_json: bool
) -> None:
    """Print the creds file of a user of the current (or -a) account: its JWT and seed.

    The user's seed must be in the keystore. With -o FILE the creds are written to FILE
    (0600, atomically) instead; --json puts them in "data".
    """
    output = None if output_file in STDOUT else output_file
    result = user_creds(app.nsc, name, account=account, output=output)
    if result.path is None and not as_json:
        result.report.data = result.text
    app.output.report(result.report, as_json=as_json)
