"""``pynsc pull``: fetch account JWTs from nats-server resolvers or an account server into the
store. Parses flags and renders; the rules are :func:`pynsc.actions.push.pull_jwts`'s.

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
    from pynsc.push.operations import ServerOptions


@command(
    "pull",
    long_running=True,
    short_help="Pull account JWTs from nats-servers or an account server.",
)
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
    from pynsc.actions.push import pull_jwts

    outcome = pull_jwts(
        app.nsc, account, all_accounts=all_accounts, overwrite_newer=overwrite_newer,
        options=options,
    )  # fmt: skip
    app.output.report(outcome.report, as_json=as_json)
    outcome.report.raise_for_errors()
