"""``pynsc add``: Add assets such as operators, accounts and users."""

from __future__ import annotations

from pynsc.cli.base import group


@group(
    "add",
    lazy_subcommands={
        "operator": "pynsc.cli.add.operator:add_operator",
        "account": "pynsc.cli.add.account:add_account",
        "user": "pynsc.cli.add.user:add_user",
        "export": "pynsc.cli.add.export:add_export",
        "import": "pynsc.cli.add.imports:add_import",
        "mapping": "pynsc.cli.add.mapping:add_mapping",
    },
)
def add_group() -> None:
    """Add assets such as operators, accounts and users."""
