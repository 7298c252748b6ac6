"""The ``pynsc`` command line: the root group, its global flags and ``main()``.

Only this package imports click and rich. Verb groups are packages (``describe/``, ``generate/``)
with one module per leaf command, loaded on demand.
"""

from __future__ import annotations

import click

from pynsc import __version__
from pynsc.cli.app import App
from pynsc.cli.base import RootGroup

__all__ = ["cli", "main"]

_GROUPS = {
    "add": "pynsc.cli.add:add_group",
    "completion": "pynsc.cli.help:completion_group",
    "create": "pynsc.cli.add:add_group",
    "delete": "pynsc.cli.delete:delete_group",
    "describe": "pynsc.cli.describe:describe",
    "edit": "pynsc.cli.edit:edit_group",
    "env": "pynsc.cli.env:env_command",
    "expirations": "pynsc.cli.expirations:expirations_command",
    "export": "pynsc.cli.exporting:exporting_group",
    "generate": "pynsc.cli.generate:generate",
    "help": "pynsc.cli.help:help_command",
    "import": "pynsc.cli.importing:importing_group",
    "init": "pynsc.cli.init:init_command",
    "keys": "pynsc.cli.keys:keys_group",
    "list": "pynsc.cli.listing:listing_group",
    "load": "pynsc.cli.load:load_command",
    "pub": "pynsc.cli.tool:pub_alias",
    "pull": "pynsc.cli.pull:pull_command",
    "push": "pynsc.cli.push:push_command",
    "reissue": "pynsc.cli.reissue:reissue_group",
    "rename": "pynsc.cli.rename:rename_group",
    "revocations": "pynsc.cli.revocations:revocations_group",
    "reply": "pynsc.cli.tool:reply_alias",
    "req": "pynsc.cli.tool:req_alias",
    "rtt": "pynsc.cli.tool:rtt_alias",
    "select": "pynsc.cli.select:select_group",
    "server": "pynsc.cli.server:server_group",
    "sub": "pynsc.cli.tool:sub_alias",
    "tool": "pynsc.cli.tool:tool_group",
    "validate": "pynsc.cli.validate:validate_command",
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


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="pynsc")
