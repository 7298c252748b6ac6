"""Push and pull: account JWTs to and from nats-server resolvers or an account server, with the
rules and the report of ``pynsc push``/``pull``.

The rules, all here and nowhere else (talking to the servers is :mod:`pynsc.push.operations`'s):

* ``diff``, ``prune`` and ``removal`` are mutually exclusive, and so are ``all_accounts`` and
  named accounts;
* ``push`` sends the named accounts, or every account with ``all_accounts``, or the current
  account when neither is given and no other mode is asked for; a diff, prune or removal asked
  for with ``all_accounts`` or named accounts follows the push;
* each account pushed to nats resolvers is OK for every server that took it; a refusal fails the
  account only when no server took it (it is a warning otherwise), and an account no server
  answered for is an error; an account server's answer is OK (200), a warning (accepted for
  later) or an error;
* a prune lists each resolver's accounts first, then deletes the ones this operator does not
  have (never the system account): nothing to prune is OK; no server answering the delete
  request, or fewer than listed accounts, is an error;
* ``pull`` takes the named accounts (default: the current one), or with ``all_accounts`` every
  account (and from an account server the operator); each pulled JWT is stored, unchanged or
  refused (an error line), and a server holding nothing is a warning.

The report of a failed job is not raised: ``outcome.ok`` (or
``outcome.report.raise_for_errors()``) tells. Example::

    nsc = Nsc.open()
    outcome = push_jwts(nsc, all_accounts=True, options=ServerOptions(url="nats://h:4222"))
    for account in outcome.pushed.accounts:
        print(account.name, account.ok, account.servers)
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from pynsc.actions.session import Nsc
from pynsc.claims.subjects import go_quote
from pynsc.errors import UsageError
from pynsc.push.operations import (
    AccountPush,
    DiffResult,
    PruneResult,
    PulledAccount,
    PullResult,
    PushResult,
    ServerOptions,
    diff_accounts,
    prune_accounts,
    pull_accounts,
    push_accounts,
    remove_accounts,
)
from pynsc.store.report import Display, Level, Report
from pynsc.store.store import Store

__all__ = [
    "Progress",
    "PullOutcome",
    "PushOutcome",
    "ServerOptions",
    "pull_jwts",
    "push_jwts",
]

Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while the accounts pushed get their first answer."""


@dataclass(slots=True)
class PushOutcome:
    """What :func:`push_jwts` did: the report, and the result of each step taken (``None`` for
    a step not asked for). The report's data is ``{"push": …, "diff": …, "prune": …}`` (the
    steps taken)."""

    report: Report
    pushed: PushResult | None = None
    diff: DiffResult | None = None
    pruned: PruneResult | None = None

    @property
    def ok(self) -> bool:
        """No job failed."""
        return not self.report.has_errors


@dataclass(slots=True)
class PullOutcome:
    """What :func:`pull_jwts` did: the report (its data is ``pulled.to_dict()``) and the
    result."""

    report: Report
    pulled: PullResult

    @property
    def ok(self) -> bool:
        """No job failed."""
        return not self.report.has_errors


def _names(accounts: str | Sequence[str] | None) -> list[str]:
    if accounts is None:
        return []
    if isinstance(accounts, str):
        return [accounts] if accounts else []
    return [name for name in accounts if name]


def _check_modes(
    names: list[str], *, all_accounts: bool, diff: bool, prune: bool, removal: list[str]
) -> list[str]:
    chosen = [flag for flag, on in (("--prune", prune), ("--diff", diff),
                                    ("--account-removal", bool(removal))) if on]  # fmt: skip
    if len(chosen) > 1:
        raise UsageError(f"{' and '.join(chosen)} are mutually exclusive")
    _check_all(names, all_accounts=all_accounts)
    return chosen


def _check_all(names: list[str], *, all_accounts: bool) -> None:
    if all_accounts and names:
        raise UsageError("-A/--all and -a/--account are mutually exclusive")


# Push ----------------------------------------------------------------------------------------


def push_jwts(
    nsc: Nsc,
    accounts: str | Sequence[str] | None = None,
    *,
    all_accounts: bool = False,
    force: bool = False,
    diff: bool = False,
    prune: bool = False,
    removal: str | Sequence[str] | None = None,
    options: ServerOptions | None = None,
    progress: Progress | None = None,
    signer: str | None = None,
) -> PushOutcome:
    """Push ``accounts`` (names or public keys; default: the current account, or all of them
    with ``all_accounts``) to the operator's nats-servers or account server (or
    ``options.url``), then, when asked, list (``diff``), ``prune`` or remove (``removal``)
    accounts on the nats resolvers.

    With ``diff``, ``prune`` or ``removal`` alone nothing is pushed. Each account is checked
    before it is sent unless ``force`` (an account nats-server would refuse is an error, and
    nothing is sent). Delete requests (prune, removal) are signed by an operator key:
    ``signer``, else ``nsc.signer``, else the operator's. ``progress(done, total)`` follows the
    push. See the module docstring for the rules.
    """
    names = _names(accounts)
    removed = [removal] if isinstance(removal, str) else list(removal or ())
    chosen = _check_modes(names, all_accounts=all_accounts, diff=diff, prune=prune,
                          removal=removed)  # fmt: skip
    options = options or ServerOptions()
    store = nsc.store()
    outcome = PushOutcome(Report())
    data: dict[str, Any] = {}
    if all_accounts or names or not chosen:
        wanted = None if all_accounts else [nsc.require_account(n) for n in names or [""]]
        outcome.pushed = push_accounts(
            store, nsc.keystore, wanted, options=options, force=force, progress=progress
        )
        outcome.report.add(_push_report(outcome.pushed))
        data["push"] = outcome.pushed.to_dict()
    key = signer or nsc.signer
    if diff:
        outcome.diff = diff_accounts(store, nsc.keystore, options=options)
        top = outcome.report.add(Report("diff nats-server with nats account resolver"))
        _listing(top, outcome.diff)
        data["diff"] = outcome.diff.to_dict()
    elif prune:
        outcome.pruned = prune_accounts(store, nsc.keystore, options=options, private_key=key)
        outcome.report.add(_prune_report(outcome.pruned, options, listed=True))
        data["prune"] = outcome.pruned.to_dict()
    elif removed:
        outcome.pruned = remove_accounts(
            store, nsc.keystore, removed, options=options, private_key=key
        )
        outcome.report.add(_prune_report(outcome.pruned, options, listed=False))
        data["prune"] = outcome.pruned.to_dict()
    outcome.report.data = data
    return outcome


def _push_report(result: PushResult) -> Report:
    target = result.target
    if target.mode == "nats":
        top = Report(
            f"push to nats-server {go_quote(target.url)} using system account "
            f"{go_quote(result.system_account)}"
        )
        for pushed in result.accounts:
            top.add(_resolver_block(pushed))
        return top
    top = Report(f"push to account server {go_quote(target.url)}")
    for pushed in result.accounts:
        top.add(_account_server_block(pushed))
    return top


def _resolver_block(pushed: AccountPush) -> Report:
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


def _account_server_block(pushed: AccountPush) -> Report:
    job = Report(f"push {pushed.name} to account server", display=Display.DETAILS_ON_PROBLEM)
    if pushed.error:
        job.error(pushed.error)
    for reply in pushed.replies:
        if reply.pending:
            entry = job.warn("pushed account jwt was accepted by the account server")
        elif reply.ok:
            entry = job.ok("pushed account jwt to the account server")
        else:
            entry = job.error(f"failed to push account jwt: {reply.code}")
        entry.add_server_message(reply.message)
    return job


def _listing(top: Report, result: DiffResult) -> None:
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


def _prune_report(result: PruneResult, options: ServerOptions, *, listed: bool) -> Report:
    top = Report("prune nats-server with nats account resolver")
    if listed and result.diff is not None:
        _listing(top, result.diff)
    if not result.requested:
        top.ok("nothing to prune: every account on the nats-servers is in the store")
        return top
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
    return top


# Pull ----------------------------------------------------------------------------------------


def pull_jwts(
    nsc: Nsc,
    accounts: str | Sequence[str] | None = None,
    *,
    all_accounts: bool = False,
    overwrite_newer: bool = False,
    options: ServerOptions | None = None,
) -> PullOutcome:
    """Pull ``accounts`` (names or public keys; default: the current account), or with
    ``all_accounts`` everything the servers hold, into the store.

    From nats resolvers only ``all_accounts`` works (one full resolver streams every account);
    from an account server each account is fetched, and with ``all_accounts`` the operator too.
    A pulled JWT never replaces a newer local one unless ``overwrite_newer``; accounts are
    stored under the names in their JWTs.
    """
    names = _names(accounts)
    _check_all(names, all_accounts=all_accounts)
    options = options or ServerOptions()
    store = nsc.store()
    with store.lock():
        wanted = None if all_accounts else [nsc.require_account(n) for n in names or [""]]
        result = pull_accounts(
            store, nsc.keystore, wanted, all_accounts=all_accounts,
            overwrite_newer=overwrite_newer, options=options,
        )  # fmt: skip
    return PullOutcome(_pull_report(store, result), result)


def _pull_report(store: Store, result: PullResult) -> Report:
    target = result.target
    where = "nats-server" if target.mode == "nats" else "account server"
    report = Report(data=result.to_dict())
    top = report.add(Report(f"pull from {where} {go_quote(target.url)}"))
    if result.operator == "stored":
        top.ok(f"stored operator {go_quote(store.name)}")
    elif result.operator == "unchanged":
        top.ok(f"operator {go_quote(store.name)} is unchanged")
    elif result.operator is not None:
        top.error(result.operator_message)
    for pulled in result.accounts:
        _pulled_line(top, pulled)
    if not result.accounts and result.operator is None:
        top.warn("the server holds no accounts")
    return report


def _pulled_line(top: Report, pulled: PulledAccount) -> None:
    name = go_quote(pulled.name or pulled.key)
    if pulled.status == "stored":
        top.ok(f"stored account {name}")
    elif pulled.status == "unchanged":
        top.ok(f"account {name} is unchanged")
    else:
        top.error(pulled.message)
