"""``pynsc select operator NAME``: make an operator the current one (saved in nsc.json).

Parses flags and renders; the rules are :func:`pynsc.actions.context.select_operator`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("operator", short_help="Set the current operator.")
@click.argument("name", metavar="NAME")
@json_option
@pass_app
def select_operator(app: App, *, name: str, as_json: bool) -> None:
    """Make NAME the current operator; the current account stays current when NAME has an
    account of that name, else NAME's only account (if it has one) becomes current."""
    from pynsc.actions import context

    app.output.report(context.select_operator(app.nsc, name).report, as_json=as_json)
