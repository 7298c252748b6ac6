"""``pynsc list operators``: the operators of the store root, with their public keys."""

from __future__ import annotations

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option


@command("operators", short_help="List operators.")
@json_option
@pass_app
def list_operators(app: App, *, as_json: bool) -> None:
    """List the operators of the store root: name and public key.

    --json prints {"ok", "messages", "data"} with data an array of {"name", "public_key"}.
    """
    from pynsc.cli.table import Table
    from pynsc.errors import NscError
    from pynsc.store import Store
    from pynsc.store import list_operators as operator_names
    from pynsc.store.report import Report

    root = app.context.store_root
    report = Report(data=[])
    table = Table("Operators")
    for name in operator_names(root):
        try:
            public_key = Store(root, name).operator().sub
        except NscError as e:
            report.warn(f'operator "{name}": {e}')
            table.add(name, f"error loading jwt - {e}")
            continue
        report.data.append({"name": name, "public_key": public_key})
        table.add(name, public_key)
    if not table.rows:
        table.add("No entries defined")
    else:
        table.headers = ("Name", "Public Key")
    app.output.report(report, as_json=as_json)
    if not as_json:
        app.output.table(table)
