"""``pynsc delete import``: remove an import from an account.

Parses flags and renders; the rules are :func:`pynsc.actions.imports.delete_import`'s.
"""

from __future__ import annotations

import click

from pynsc.actions import imports
from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import account_option, json_option


@command("import", short_help="Delete an import.")
@click.option("-s", "--subject", metavar="SUBJECT", default=None,
              help="Remote subject of the import (optional when the account has one import).")
@click.option("--src-account", "src_account", metavar="NAME|KEY", default=None,
              help="Exporting account, when several import the subject: an account of this "
                   "operator or an account public key.")
@account_option
@json_option
@pass_app
def delete_import(
    app: App,
    *,
    subject: str | None,
    src_account: str | None,
    account: str | None,
    as_json: bool,
) -> None:
    """Delete an import of the current (or -a) account; the account is re-signed by the
    operator."""
    result = imports.delete_import(app.nsc, subject, account=account, src_account=src_account)
    app.output.report(result.report, as_json=as_json)
