"""``pynsc push``: deliver account JWTs to nats-server resolvers or an account server, and
list (``--diff``), prune (``--prune``) or remove (``-R``) accounts on the resolvers.

The work is :mod:`pynsc.push.operations`; this module parses flags and lays out the results as
nsc does, one block per account::

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
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.connect_options import server_options
from pynsc.cli.options import account_option, json_option

if TYPE_CHECKING:
    from pynsc.push.operations import (
        AccountPush,
        DiffResult,
        PruneResult,
        ServerOptions,
    )
    from pynsc.store.report import Report

PROGRESS_THRESHOLD = 20


@command("push", short_help="Push account JWTs to nats-servers or an account server.")
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
    from pynsc.store.report import Report

    chosen = [name for name, on in (("--prune", prune), ("--diff", diff),
                                    ("--account-removal", removal is not None)) if on]  # fmt: skip
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} are mutually exclusive")
    if all_accounts and account:
        raise click.UsageError("-A/--all and -a/--account are mutually exclusive")
    context = app.context
    store = context.store()
    keystore = app.keystore
    report = Report()
    results: dict[str, Any] = {}
    if all_accounts or account or not chosen:
        names = None if all_accounts else [context.require_account(account)]
        results["push"] = _push(app, store, keystore, names, options, force, report, as_json)
    if diff:
        results["diff"] = _diff(store, keystore, options, report)
    elif prune or removal is not None:
        results["prune"] = _prune(app, store, keystore, options, removal, report)
    report.data = results if as_json else None
    app.output.report(report, as_json=as_json)
    report.raise_for_errors()


def _push(
    app: App,
    store: Any,
    keystore: Any,
    names: list[str] | None,
    options: ServerOptions,
    force: bool,
    report: Report,
    as_json: bool,
) -> dict[str, Any]:
    from pynsc.claims.subjects import go_quote
    from pynsc.push.operations import push_accounts
    from pynsc.store.report import Display, Level, Report

    with _progress(app, enabled=not as_json) as progress:
        result = push_accounts(
            store, keystore, names, options=options, force=force, progress=progress
        )
    target = result.target
    if target.mode == "nats":
        top = report.add(Report(
            f"push to nats-server {go_quote(target.url)} using system account "
            f"{go_quote(result.system_account)}"
        ))  # fmt: skip
        for pushed in result.accounts:
            top.add(_account_block(pushed))
    else:
        top = report.add(Report(f"push to account server {go_quote(target.url)}"))
        for pushed in result.accounts:
            job = top.add(Report(f"push {pushed.name} to account server",
                                 display=Display.DETAILS_ON_PROBLEM))  # fmt: skip
            if pushed.error:
                job.error(pushed.error)
            for reply in pushed.replies:
                if reply.pending:
                    entry = job.entry(Level.WARN, "pushed account jwt was accepted by the "
                                                  "account server")  # fmt: skip
                elif reply.ok:
                    entry = job.ok("pushed account jwt to the account server")
                else:
                    entry = job.error(f"failed to push account jwt: {reply.code}")
                entry.add_server_message(reply.message)
    return result.to_dict() if as_json else {}


def _account_block(pushed: AccountPush) -> Report:
    from pynsc.claims.subjects import go_quote
    from pynsc.store.report import Level, Report

    block = Report(f"push {pushed.name} to nats-server with nats account resolver")
    if pushed.error:
        block.error(f"failed to push account {go_quote(pushed.name)}: {pushed.error}")
        return block
    accepted = pushed.ok
    for reply in pushed.replies:
        if reply.ok:
            block.ok(f"pushed {go_quote(pushed.name)} to nats-server {reply.server}: "
                     f"{reply.message}")  # fmt: skip
        else:
            # a refusal fails the account only when no server took it
            block.entry(Level.WARN if accepted else Level.ERR,
                        f"failed to push {go_quote(pushed.name)} to nats-server "
                        f"{reply.server}: {reply.message}")  # fmt: skip
    count = sum(1 for reply in pushed.replies if reply.ok)
    if count:
        block.ok(f"pushed to a total of {count} nats-server")
    return block


def _diff(store: Any, keystore: Any, options: ServerOptions, report: Report) -> dict[str, Any]:
    from pynsc.push.operations import diff_accounts
    from pynsc.store.report import Report

    result = diff_accounts(store, keystore, options=options)
    top = report.add(Report("diff nats-server with nats account resolver"))
    _listing(top, result)
    return result.to_dict()


def _listing(top: Report, result: DiffResult) -> None:
    from pynsc.store.report import Report

    for server in result.servers:
        block = top.add(Report(
            f"list {len(server.accounts)} accounts from nats-server {server.server}"
        ))  # fmt: skip
        for key in server.accounts:
            name = result.name_of(key)
            if name:
                block.ok(f"account {key} named {name} exists")
            else:
                block.ok(f"account {key} only exists in server")
    top.ok(f"listed accounts from a total of {len(result.servers)} nats-server")


def _prune(
    app: App,
    store: Any,
    keystore: Any,
    options: ServerOptions,
    removal: str | None,
    report: Report,
) -> dict[str, Any]:
    from pynsc.push.operations import prune_accounts, remove_accounts
    from pynsc.store.report import Report

    result: PruneResult
    if removal is None:
        result = prune_accounts(store, keystore, options=options, private_key=app.private_key)
    else:
        result = remove_accounts(
            store, keystore, [removal], options=options, private_key=app.private_key
        )
    top = report.add(Report("prune nats-server with nats account resolver"))
    if removal is None and result.diff is not None:
        _listing(top, result.diff)
    if not result.requested:
        top.ok("nothing to prune: every account on the nats-servers is in the store")
        return result.to_dict()
    for reply in result.replies:
        if reply.ok:
            top.ok(f"pruned nats-server {reply.server}: {reply.message}")
        else:
            top.error(f"server {reply.server} responded with error: {reply.message}")
    if not result.replies:
        top.error(f"no nats-server answered the delete request within {options.timeout:g}s")
    elif len(result.replies) < result.expected_servers:
        top.error(f"{len(result.replies)} of the {result.expected_servers} nats-servers that "
                  "listed accounts answered the delete request")  # fmt: skip
    return result.to_dict()


@contextmanager
def _progress(app: App, *, enabled: bool) -> Iterator[Callable[[int, int], None] | None]:
    """A progress bar on stderr for pushes of more than :data:`PROGRESS_THRESHOLD` accounts to
    a terminal (drawn from the first answer on); else nothing."""
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

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
