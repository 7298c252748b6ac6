"""``pynsc list accounts``: the accounts of the current (or a given) operator."""

from __future__ import annotations

from dataclasses import dataclass

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.table import Table
from pynsc.errors import NscError
from pynsc.store import Store


@dataclass(frozen=True, slots=True)
class _Entry:
    """One account directory: its name, and its JWT's name and subject (or why it failed)."""

    name: str
    jwt_name: str = ""
    public_key: str = ""
    error: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "public_key": self.public_key}


def _entries(store: Store) -> list[_Entry]:
    entries = []
    for name in store.account_names():
        try:
            claims = store.account(name)
        except NscError as e:
            entries.append(_Entry(name, error=str(e)))
            continue
        entries.append(_Entry(name, claims.name, claims.sub))
    return entries


def _table(entries: list[_Entry]) -> Table:
    table = Table("Accounts")
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


@command("accounts", short_help="List accounts.")
@click.option(
    "-o", "--operator", "operator", metavar="NAME",
    help="List the accounts of this operator (the current operator is not changed).",
)
@json_option
@pass_app
def list_accounts(app: App, *, operator: str | None, as_json: bool) -> None:
    """List the accounts of the current operator: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    from pynsc.store.report import Report

    context = app.context.with_operator(operator) if operator else app.context
    entries = _entries(context.store())
    report = Report(data=[entry.to_json() for entry in entries])
    for entry in entries:
        if entry.error:
            report.warn(f'account "{entry.name}": {entry.error}')
    if as_json:
        app.output.report(report, as_json=True)
        return
    app.output.report(report, as_json=False)
    app.output.table(_table(entries))
