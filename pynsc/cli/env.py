"""``pynsc env``: show the environment (where things are, what is current) and change it.

``--store``, ``--operator`` and ``--account`` set the store root, operator and account and save
them in nsc.json; all three are checked before anything is saved. With ``$NSC_CWD_ONLY`` set the
context comes from the current directory only, so they are refused.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path

if TYPE_CHECKING:
    from pynsc.cli.table import Table
    from pynsc.store import Context

_VARIABLES = ("NSC_CWD_ONLY", "NSC_NO_GIT_IGNORE", "NKEYS_PATH", "NSC_HOME", "NATS_CA",
              "NATS_KEY", "NATS_CERT")  # fmt: skip


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _shown(path: Path | str) -> str:
    """A path as nsc's env table shows it: ``~`` for the home directory, no backticks."""
    return display_path(path)[1:-1]


def _from_cwd() -> bool:
    from pynsc.store.context import _from_cwd as cwd_context

    try:
        return cwd_context(Path.cwd()) is not None
    except OSError:
        return False


def _env_data(app: App, context: Context) -> dict[str, Any]:
    paths = app.paths
    return {
        "variables": {name: name in os.environ for name in _VARIABLES},
        "config_dir": str(paths.config_dir),
        "config_file": str(paths.config_file),
        "keystore_dir": str(paths.keystore_dir),
        "default_stores_dir": str(paths.data_dir),
        "store_root": str(context.store_root),
        "from_cwd": _from_cwd(),
        "operator": context.operator,
        "account": context.account,
        "nats_ca": os.environ.get("NATS_CA", ""),
    }


def _env_table(data: dict[str, Any]) -> Table:
    from pynsc.cli.table import Table

    variables = data["variables"]

    def row(name: str, value: str) -> None:
        table.add(f"${name}", _yes_no(variables[name]), value)

    table = Table("NSC Environment", headers=("Setting", "Set", "Effective Value"))
    row("NSC_CWD_ONLY", "If set, default operator/account from cwd only")
    row("NSC_NO_GIT_IGNORE", "If set, no .gitignore files written")
    row("NKEYS_PATH", _shown(data["keystore_dir"]))
    row("NSC_HOME", _shown(data["config_dir"]))
    row("NATS_CA", "If set, root CAs in the referenced file will be used for nats connections")
    table.add("", "", "If not set, will default to the system trust store")
    row("NATS_KEY", "If set, the tls key in the referenced file will be used for nats connections")
    row("NATS_CERT",
        "If set, the tls cert in the referenced file will be used for nats connections")
    table.add_separator()
    table.add("From CWD", "", _yes_no(data["from_cwd"]))
    table.add("Default Stores Dir", "", _shown(data["default_stores_dir"]))
    table.add("Current Store Dir", "", _shown(data["store_root"]))
    table.add("Current Operator", "", data["operator"])
    table.add("Current Account", "", data["account"])
    table.add("Root CAs to trust", "", data["nats_ca"] or "Default: System Trust Store")
    return table


def _change(
    context: Context, store: str | None, operator: str | None, account: str | None
) -> Context:
    """The context with the new values, each one checked; nothing is saved here."""
    from pynsc.errors import NotFoundError
    from pynsc.store import list_operators

    if store:
        root = Path(os.path.abspath(os.path.expanduser(store)))
        if not root.is_dir():
            raise NotFoundError(f"store directory {display_path(root)} does not exist")
        context = replace(context, store_root=root, operator="", account="")
        operators = list_operators(root)
        if not operator and len(operators) == 1:
            operator = operators[0]
    if operator:
        context = context.with_operator(operator.strip())
    if account:
        context = replace(context, account=context.store().find_account(account))
    return context


@command("env", short_help="Show and change the pynsc environment.")
@click.option("-s", "--store", default=None, metavar="DIR", help="Set the store root.")
@click.option("-o", "--operator", default=None, metavar="NAME", help="Set the current operator.")
@click.option(
    "-a", "--account", default=None, metavar="NAME|KEY", help="Set the current account."
)
@json_option
@pass_app
def env_command(
    app: App, *, store: str | None, operator: str | None, account: str | None, as_json: bool
) -> None:
    """Show where pynsc keeps its configuration, stores and keys, and the current operator and
    account; --store, --operator and --account change them (saved in nsc.json)."""
    from pynsc.errors import StoreError
    from pynsc.store.report import Report

    report = Report()
    context = app.context
    if store or operator or account:
        if context.cwd_only:
            raise StoreError("$NSC_CWD_ONLY is set - change your cwd to change context")
        context = _change(context, store, operator, account)
        context.save(operator=context.operator, account=context.account)
        app.refresh_context()
        report.ok("environment updated")
    report.data = _env_data(app, context)
    app.output.report(report, as_json=as_json)
    if not as_json:
        app.output.table(_env_table(report.data))
