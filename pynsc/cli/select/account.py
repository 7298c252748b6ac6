"""``pynsc select account NAME|KEY``: make an account the current one (saved in nsc.json)."""

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
    from pynsc.errors import StoreError
    from pynsc.store.report import Report

    context = app.context
    if context.cwd_only:
        raise StoreError("$NSC_CWD_ONLY is set - change your cwd to change context")
    account = context.store().find_account(name)
    context.save(operator=context.operator, account=account)
    app.refresh_context()
    report = Report(data={"operator": context.operator, "account": account})
    report.ok(f'current account set to "{account}"')
    app.output.report(report, as_json=as_json)
