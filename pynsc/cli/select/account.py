"""``pynsc select account NAME|KEY``: make an account the current one (saved in nsc.json).

Parses flags and renders; the rules are :func:`pynsc.actions.context.select_account`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("account", short_help="Set the current account.")
@click.argument("name", metavar="NAME|KEY")
@json_option
@pass_app
def select_account(app: App, *, name: str, as_json: bool) -> None:
    """Make the account NAME (or with public key KEY) of the current operator the current
    account."""
    from pynsc.actions import context

    app.output.report(context.select_account(app.nsc, name).report, as_json=as_json)
