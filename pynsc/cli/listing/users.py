"""``pynsc list users``: the users of the current (or a given) account."""

from __future__ import annotations

from dataclasses import dataclass

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.table import Table
from pynsc.errors import NscError
from pynsc.store import Store
from pynsc.store.report import Report


@dataclass(frozen=True, slots=True)
class _Entry:
    """One user file: its name, and its JWT's name and subject (or why it failed to load)."""

    name: str
    jwt_name: str = ""
    public_key: str = ""
    error: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "public_key": self.public_key}


def _entries(store: Store, account: str) -> list[_Entry]:
    entries = []
    for name in store.user_names(account):
        try:
            claims = store.user(account, name)
        except NscError as e:
            entries.append(_Entry(name, error=str(e)))
            continue
        entries.append(_Entry(name, claims.name, claims.sub))
    return entries


def _table(entries: list[_Entry]) -> Table:
    table = Table("Users")
    if not entries:
        table.add("No entries defined")
        return table
    table.headers = ("Name", "Public Key")
    for entry in entries:
        if entry.error:
            table.add(entry.name, f"error loading jwt - {entry.error}")
            continue
        shown = entry.name
        if entry.jwt_name and entry.jwt_name != entry.name:
            shown = f"{entry.name} ({entry.jwt_name})"
        table.add(shown, entry.public_key)
    return table


@command("users", short_help="List users.")
@click.option(
    "-o", "--operator", "operator", metavar="NAME",
    help="Use this operator (the current operator is not changed).",
)
@click.option(
    "-a", "--account", "account", metavar="NAME|KEY",
    help="List the users of this account (the current account is not changed).",
)
@json_option
@pass_app
def list_users(app: App, *, operator: str | None, account: str | None, as_json: bool) -> None:
    """List the users of the current (or -a) account: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    context = app.context.with_operator(operator) if operator else app.context
    store = context.store()
    account_name = (
        store.find_account(account) if account else context.require_account(None)
    )
    entries = _entries(store, account_name)
    report = Report(data=[entry.to_json() for entry in entries])
    for entry in entries:
        if entry.error:
            report.warn(f'user "{entry.name}": {entry.error}')
    app.output.report(report, as_json=as_json)
    if not as_json:
        app.output.table(_table(entries))
