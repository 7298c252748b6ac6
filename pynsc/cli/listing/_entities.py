"""What ``list operators|accounts|users`` share: load each JWT, then a table or JSON."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from pynsc.claims import ClaimsData
from pynsc.cli.app import App
from pynsc.cli.table import Table
from pynsc.errors import NscError
from pynsc.store.report import Report


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored entity: its file name, and its JWT's name and subject (or why it failed)."""

    name: str
    jwt_name: str = ""
    public_key: str = ""
    error: str = ""

    def to_json(self) -> dict[str, str]:
        return {"name": self.name, "public_key": self.public_key}


def load_entries(names: Iterable[str], load: Callable[[str], ClaimsData]) -> list[Entry]:
    entries = []
    for name in names:
        try:
            claims = load(name)
        except NscError as e:
            entries.append(Entry(name, error=str(e)))
            continue
        entries.append(Entry(name, claims.name, claims.sub))
    return entries


def _table(title: str, entries: list[Entry]) -> Table:
    table = Table(title)
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


def show_entries(app: App, title: str, kind: str, entries: list[Entry], *, as_json: bool) -> None:
    """The table of ``entries`` (stdout), or with ``--json`` the report whose data is
    ``[{"name", "public_key"}]``; entities whose JWT does not load are warnings."""
    report = Report(data=[entry.to_json() for entry in entries])
    for entry in entries:
        if entry.error:
            report.warn(f'{kind} "{entry.name}": {entry.error}')
    app.output.report(report, as_json=as_json)
    if not as_json:
        app.output.table(_table(title, entries))
