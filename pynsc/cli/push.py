"""``pynsc push``: deliver account JWTs to nats-server resolvers or an account server, and
list (``--diff``), prune (``--prune``) or remove (``-R``) accounts on the resolvers.

Parses flags, shows the progress bar and renders; the rules and the report, one block per
account, are :func:`pynsc.actions.push.push_jwts`'s::

    [ OK ] push to nats-server "nats://127.0.0.1:4222" using system account "SYS":
           [ OK ] push A to nats-server with nats account resolver:
                  [ OK ] pushed "A" to nats-server n1: jwt updated
                  [ OK ] pushed to a total of 1 nats-server

With ``--json`` the report's ``data`` holds every account's and every server's answer. Pushing
more than :data:`PROGRESS_THRESHOLD` accounts to a terminal shows a progress bar on stderr.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.connect_options import server_options
from pynsc.cli.options import account_option, json_option

if TYPE_CHECKING:
    from pynsc.push.operations import ServerOptions

PROGRESS_THRESHOLD = 20


@command(
    "push", long_running=True, short_help="Push account JWTs to nats-servers or an account server."
)
@click.option("-A", "--all", "all_accounts", is_flag=True, default=False,
              help="Push every account of the operator.")
@click.option("-F", "--force", "force", is_flag=True, default=False,
              help="Push even accounts with validation issues.")
@click.option("-P", "--prune", "prune", is_flag=True, default=False,
              help="Delete from the nats resolvers every account this operator does not have "
                   "(never the system account).")
@click.option("-R", "--account-removal", "removal", metavar="NAME|KEY", default=None,
              help="Delete this account from the nats resolvers.")
@click.option("-D", "--diff", "diff", is_flag=True, default=False,
              help="List the accounts on the nats resolvers against this operator's.")
@server_options
@account_option
@json_option
@pass_app
def push_command(
    app: App,
    *,
    all_accounts: bool,
    force: bool,
    prune: bool,
    removal: str | None,
    diff: bool,
    options: ServerOptions,
    account: str | None,
    as_json: bool,
) -> None:
    """Push the current account (-a ACCOUNT, or all with -A) to the operator's nats-servers or
    account server.

    To nats resolvers every account is sent at once and the answers of all servers gathered in
    one window, which closes as soon as every server has answered for every account (at the
    latest --timeout seconds after the last answer). --diff, --prune and --account-removal work
    on nats resolvers; with -A or -a they follow the push.
    """
    from pynsc.actions.push import push_jwts

    with _progress(app, enabled=not as_json) as progress:
        outcome = push_jwts(
            app.nsc, account, all_accounts=all_accounts, force=force, diff=diff, prune=prune,
            removal=removal, options=options, progress=progress,
        )  # fmt: skip
    app.output.report(outcome.report, as_json=as_json)
    outcome.report.raise_for_errors()


@contextmanager
def _progress(app: App, *, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for pushes of more than :data:`PROGRESS_THRESHOLD` accounts to
    a terminal (drawn from the first answer on, gone once every account has one); else
    nothing."""
    if not enabled or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if total <= PROGRESS_THRESHOLD:
                return
            bar = Progress(
                "pushing", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                console=app.output.stderr, transient=True,
            )  # fmt: skip
            bar.start()
            task = bar.add_task("push", total=total)
        assert task is not None
        bar.update(task, completed=done)
        if done >= total:  # every account answered: the bar goes before a diff or prune
            bar.stop()

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
