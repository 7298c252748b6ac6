"""``pynsc import account --file A.jwt``: add an account JWT made elsewhere to the operator.

Parses flags, reads the file and renders; the rules are
:func:`pynsc.actions.importing.import_account`'s.
"""

from __future__ import annotations

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("account", short_help="Import an account JWT, re-signing it if self-signed.")
@click.option("-j", "--file", "file", metavar="FILE", help="The account JWT (decorated is fine).")
@click.option("--overwrite", is_flag=True, default=False,
              help="Replace a stored account of the same name and key.")
@click.option("--skip", is_flag=True, default=False,
              help="Import even when the JWT has validation issues.")
@click.option("--force", is_flag=True, default=False,
              help="Re-sign an account issued by another operator.")
@json_option
@pass_app
def import_account(
    app: App, *, file: str | None, overwrite: bool, skip: bool, force: bool, as_json: bool
) -> None:
    """Import an account from a .jwt file into the current operator."""
    from pynsc.actions import importing
    from pynsc.sources import read_source

    if not file:
        raise click.UsageError("an account jwt file is required (-j/--file FILE)")
    if not file.endswith(".jwt"):
        raise click.BadParameter("expected these file endings: [.jwt]", param_hint="'--file'")
    result = importing.import_account(
        app.nsc, read_source(file), overwrite=overwrite, skip=skip, force=force
    )
    app.output.report(result.report, as_json=as_json)
