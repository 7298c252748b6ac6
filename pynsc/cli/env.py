"""``pynsc env``: show the environment (where things are, what is current) and change it.

Parses flags and renders; what may change, and how, is
:func:`pynsc.actions.context.environment`'s rule.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from pynsc.cli.app import App, pass_app
from pynsc.cli.base import command
from pynsc.cli.options import json_option
from pynsc.cli.output import display_path

if TYPE_CHECKING:
    from pynsc.actions.context import Environment
    from pynsc.cli.table import Table


def _yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def _shown(path: Path | str) -> str:
    """A path as nsc's env table shows it: ``~`` for the home directory, no backticks."""
    return display_path(path)[1:-1]


def _env_table(env: Environment) -> Table:
    from pynsc.cli.table import Table

    def row(name: str, value: str) -> None:
        table.add(f"${name}", _yes_no(env.variables[name]), value)

    table = Table("NSC Environment", headers=("Setting", "Set", "Effective Value"))
    row("NSC_CWD_ONLY", "If set, default operator/account from cwd only")
    row("NSC_NO_GIT_IGNORE", "If set, no .gitignore files written")
    row("NKEYS_PATH", _shown(env.keystore_dir))
    row("NSC_HOME", _shown(env.config_dir))
    row("NATS_CA", "If set, root CAs in the referenced file will be used for nats connections")
    table.add("", "", "If not set, will default to the system trust store")
    row("NATS_KEY", "If set, the tls key in the referenced file will be used for nats connections")
    row("NATS_CERT",
        "If set, the tls cert in the referenced file will be used for nats connections")
    table.add_separator()
    table.add("From CWD", "", _yes_no(env.from_cwd))
    table.add("Default Stores Dir", "", _shown(env.default_stores_dir))
    table.add("Current Store Dir", "", _shown(env.store_root))
    table.add("Current Operator", "", env.operator)
    table.add("Current Account", "", env.account)
    table.add("Root CAs to trust", "", env.nats_ca or "Default: System Trust Store")
    return table


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
    from pynsc.actions.context import environment

    result = environment(app.nsc, store=store, operator=operator, account=account)
    app.output.report(result.report, as_json=as_json)
    if not as_json:
        app.output.table(_env_table(result))
