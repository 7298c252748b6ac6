"""The root group, ``pynsc``: its global flags and its subcommands, each loaded on first use.

Imported by :func:`pynsc.cli.main` for every run but ``pynsc --version``. What the root's help
lists of each subcommand is kept here, in its :class:`~pynsc.cli.base.Lazy` entry, so ``pynsc
--help`` imports no subcommand (``tests/cli/test_import_isolation.py`` checks the entries).
"""

from __future__ import annotations

import click

from pynsc import __version__
from pynsc.cli.app import App
from pynsc.cli.base import Lazy, RootGroup

__all__ = ["cli"]


def _tool(leaf: str, short_help: str) -> Lazy:
    """``pynsc <leaf>``: nsc's hidden root alias of ``pynsc tool <leaf>``."""
    return Lazy(f"pynsc.cli.tool:{leaf}_alias", short_help, hidden=True)


_ADD = Lazy("pynsc.cli.add:add_group", help="Add assets such as operators, accounts and users.")

_GROUPS = {
    "add": _ADD,
    "completion": Lazy(
        "pynsc.cli.help:completion_group",
        help="Print a shell completion script for pynsc (bash, zsh or fish).",
    ),
    "create": _ADD,  # nsc's alias of add
    "delete": Lazy("pynsc.cli.delete:delete_group", help="Delete accounts and users."),
    "describe": Lazy(
        "pynsc.cli.describe:describe",
        help="Describe assets such as operators, accounts, users and JWT files.",
    ),
    "edit": Lazy(
        "pynsc.cli.edit:edit_group", help="Edit operators, accounts, users and signing keys."
    ),
    "env": Lazy("pynsc.cli.env:env_command", "Show and change the pynsc environment."),
    "expirations": Lazy(
        "pynsc.cli.expirations:expirations_command", "Report what expires, and when."
    ),
    "export": Lazy("pynsc.cli.exporting:exporting_group", help="Export keys."),
    "generate": Lazy(
        "pynsc.cli.generate:generate", help="Generate keys, creds, activations and configurations."
    ),
    "help": Lazy("pynsc.cli.help:help_command", "Help about any command."),
    "import": Lazy("pynsc.cli.importing:importing_group", help="Import accounts, users and keys."),
    "init": Lazy(
        "pynsc.cli.init:init_command", "Create an operator, system account, account and user."
    ),
    "keys": Lazy("pynsc.cli.keys:keys_group", help="Manage the keystore."),
    "list": Lazy(
        "pynsc.cli.listing:listing_group", help="List operators, accounts, users and keys."
    ),
    "load": Lazy(
        "pynsc.cli.load:load_command", "Load a managed operator's account and a user from its seed."
    ),
    "pub": _tool("pub", "Publish to a subject as a user of an account."),
    "pull": Lazy(
        "pynsc.cli.pull:pull_command", "Pull account JWTs from nats-servers or an account server."
    ),
    "push": Lazy(
        "pynsc.cli.push:push_command", "Push account JWTs to nats-servers or an account server."
    ),
    "reissue": Lazy(
        "pynsc.cli.reissue:reissue_group", help="Re-issue an operator with a new identity key."
    ),
    "rename": Lazy("pynsc.cli.rename:rename_group", help="Rename an account."),
    "revocations": Lazy(
        "pynsc.cli.revocations:revocations_group",
        help="Revoke users and activations, and list or remove revocations.",
    ),
    "reply": _tool("reply", "Reply to requests on a subject as a user of an account."),
    "req": _tool("req", "Send a request to a subject as a user of an account."),
    "rtt": _tool("rtt", "Time a round trip to the server."),
    "select": Lazy("pynsc.cli.select:select_group", help="Set the current operator or account."),
    "server": Lazy(
        "pynsc.cli.server:server_group",
        help="Run a local nats-server for the current operator, for development.",
    ),
    "sub": _tool("sub", "Subscribe to a subject as a user of an account."),
    "tool": Lazy("pynsc.cli.tool:tool_group", "NATS tools: pub, sub, req, reply, rtt."),
    "validate": Lazy(
        "pynsc.cli.validate:validate_command", "Validate an operator, its accounts and their users."
    ),
}


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if not value or ctx.resilient_parsing:
        return
    ctx.ensure_object(App).output.data(f"pynsc version {__version__}")
    ctx.exit()


@click.group(
    "pynsc",
    cls=RootGroup,
    lazy_subcommands=_GROUPS,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@click.option(
    "-v",
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help="Show the version and exit.",
)
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Create and manage NATS operators, accounts, users and their keys and JWTs.

    Global options may be given before or after the subcommand.
    """
    ctx.ensure_object(App)
