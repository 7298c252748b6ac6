"""``pynsc pull``: fetch account JWTs from nats-server resolvers or an account server into the
store (:func:`pynsc.push.operations.pull_accounts`).

From nats resolvers ``-A`` is required: one full resolver streams every account it holds
(``$SYS.REQ.CLAIMS.PACK``). From an account server each local account (``-a``, or all of them
and the operator with ``-A``) is fetched by ``GET``. A pulled JWT never replaces a newer local
one unless ``--overwrite-newer``; accounts are stored under the names in their JWTs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.connect_options import server_options
from pynsc.cli.options import account_option, json_option

if TYPE_CHECKING:
    from pynsc.push.operations import PulledAccount, ServerOptions
    from pynsc.store.report import Report


@command("pull", short_help="Pull account JWTs from nats-servers or an account server.")
@click.option("-A", "--all", "all_accounts", is_flag=True, default=False,
              help="Pull every account (and, from an account server, the operator).")
@click.option("-F", "--overwrite-newer", "overwrite_newer", is_flag=True, default=False,
              help="Replace local JWTs even when they are newer than the pulled ones.")
@server_options
@account_option
@json_option
@pass_app
def pull_command(
    app: App,
    *,
    all_accounts: bool,
    overwrite_newer: bool,
    options: ServerOptions,
    account: str | None,
    as_json: bool,
) -> None:
    """Pull the current account (-a ACCOUNT, or everything with -A) from the operator's
    account server or nats resolvers into the store."""
    from pynsc.claims.subjects import go_quote
    from pynsc.push.operations import pull_accounts
    from pynsc.store.report import Report

    if all_accounts and account:
        raise click.UsageError("-A/--all and -a/--account are mutually exclusive")
    context = app.context
    store = context.store()
    with store.lock():
        names = None if all_accounts else [context.require_account(account)]
        result = pull_accounts(
            store, app.keystore, names, all_accounts=all_accounts,
            overwrite_newer=overwrite_newer, options=options,
        )  # fmt: skip
    target = result.target
    where = "nats-server" if target.mode == "nats" else "account server"
    report = Report()
    top = report.add(Report(f"pull from {where} {go_quote(target.url)}"))
    if result.operator == "stored":
        top.ok(f"stored operator {go_quote(store.name)}")
    elif result.operator == "unchanged":
        top.ok(f"operator {go_quote(store.name)} is unchanged")
    elif result.operator is not None:
        top.error(result.operator_message)
    for pulled in result.accounts:
        _line(top, pulled)
    if not result.accounts and result.operator is None:
        top.warn("the server holds no accounts")
    report.data = result.to_dict() if as_json else None
    app.output.report(report, as_json=as_json)
    report.raise_for_errors()


def _line(top: Report, pulled: PulledAccount) -> None:
    from pynsc.claims.subjects import go_quote

    name = go_quote(pulled.name or pulled.key)
    if pulled.status == "stored":
        top.ok(f"stored account {name}")
    elif pulled.status == "unchanged":
        top.ok(f"account {name} is unchanged")
    else:
        top.error(pulled.message)
