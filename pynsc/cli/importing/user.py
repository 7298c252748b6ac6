"""``pynsc import user -f FILE``: add a user JWT (or a creds file: JWT and seed) to the store.

Parses flags and renders; the rules are :func:`pynsc.actions.importing.import_user`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("user", short_help="Import a user JWT or creds file.")
@click.option("-f", "--file", "file", metavar="FILE", required=True,
              help="A user JWT (.jwt, decorated or not) or creds file (.creds).")
@click.option("--overwrite", is_flag=True, default=False,
              help="Replace a stored user of the same name (it must have the same key).")
@click.option("--skip", is_flag=True, default=False,
              help="Import even when the JWT has validation issues.")
@json_option
@pass_app
def import_user(app: App, *, file: str, overwrite: bool, skip: bool, as_json: bool) -> None:
    """Import a user into the account that issued it (by its identity or a signing key).

    From a creds file the seed is stored too, and the creds file rewritten in the keystore.
    """
    from pynsc.actions import importing

    result = importing.import_user_file(app.nsc, file, overwrite=overwrite, skip=skip)
    app.output.report(result.report, as_json=as_json)
