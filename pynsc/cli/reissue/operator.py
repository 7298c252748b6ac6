"""``pynsc reissue operator``: give the operator a new identity key.

Parses flags and renders; the rules are :func:`pynsc.actions.operators.reissue_operator`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("operator", short_help="Re-issue the operator with a new identity key.")
@click.option(
    "--convert-to-signing-key", "convert", is_flag=True, default=False,
    help="Keep the old identity as a signing key (no account is re-signed).",
)
@click.option(
    "-n", "--name", default=None, metavar="NAME",
    help="The operator to re-issue (default: the current one).",
)
@json_option
@pass_app
def reissue_operator(app: App, *, convert: bool, name: str | None, as_json: bool) -> None:
    """Re-issue the operator with a new identity key (-K gives it) and re-sign the accounts
    the old identity issued. Back up the store and keystore first: servers trust the operator
    by its key."""
    from pynsc.actions import operators

    result = operators.reissue_operator(
        app.nsc, operator=name, key=app.private_key, convert_to_signing_key=convert
    )
    app.output.report(result.report, as_json=as_json)
