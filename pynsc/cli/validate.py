"""``pynsc validate``: check the operator, accounts and users (or a file of JWTs) for problems.

Parses flags, reads the file and renders a table per entity; the rules are
:mod:`pynsc.actions.validate`'s. Exits 1 with ``validation found errors`` when any issue is
blocking or a time check (expired, not yet valid); warnings alone pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import PersistentOption, json_option

if TYPE_CHECKING:
    from pynsc.actions.validate import ValidationSection
    from pynsc.cli.table import Table


def _table(section: ValidationSection) -> Table:
    from pynsc.cli.table import Table

    table = Table(section.title)
    if not section.issues:
        table.add("No issues found")
        return table
    table.headers = ("#", " ", "Description")
    for i, issue in enumerate(section.issues, start=1):
        table.add(i, "!" if issue.blocking or issue.time_check else "", issue.description)
    return table


@command("validate", short_help="Validate an operator, its accounts and their users.")
@click.option("-A", "--all-accounts", "all_accounts", is_flag=True, default=False,
              help="Validate every account of the operator (not with -a or -f).")
@click.option("-f", "--file", "file", metavar="FILE", default=None,
              help="Validate the JWTs in FILE, one a line (not with -a or -A).")
@click.option("-a", "--account", "context_account", cls=PersistentOption, metavar="NAME|KEY",
              default=None, help="Validate this account (default: the current account).")
@json_option
@pass_app
def validate_command(
    app: App,
    *,
    all_accounts: bool,
    file: str | None,
    context_account: str | None,
    as_json: bool,
) -> None:
    """Validate the operator and the current (or -a, or every -A) account with its users.

    Prints a table of issues per entity ('!' marks the blocking ones and time checks) and
    fails with 'validation found errors' when there is any such issue.
    """
    from pynsc.actions.validate import validate_jwts, validate_store

    account = context_account or None
    if file is not None and (all_accounts or account):
        raise click.UsageError("specify only one of --account or --all-accounts or --file")
    if file is not None:
        from pynsc.sources import read_source

        result = validate_jwts(read_source(file))
    else:
        result = validate_store(app.nsc, account=account, all_accounts=all_accounts)
    if as_json:
        app.output.report(result.report, as_json=True)
    else:
        app.output.table([_table(section) for section in result.sections])
    result.raise_for_errors()
